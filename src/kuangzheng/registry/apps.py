from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kuangzheng.registry"
    label = "registry"
    verbose_name = "登记簿 Registry"
