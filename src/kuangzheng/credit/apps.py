from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "kuangzheng.credit"
    label = "credit"
    verbose_name = "信用 Credit lists"

    def ready(self):
        from . import layer  # the lists as a collection of the Features API

        layer.register()
