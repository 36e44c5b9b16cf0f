from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kuangzheng.registry"
    label = "registry"
    verbose_name = "登记簿 Registry"

    def ready(self):
        from . import audited

        audited.register()  # `kz audit verify` compares the records with their last audited state
