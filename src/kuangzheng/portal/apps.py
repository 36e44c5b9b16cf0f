from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kuangzheng.portal"
    label = "portal"
    verbose_name = "门户 Portal"
