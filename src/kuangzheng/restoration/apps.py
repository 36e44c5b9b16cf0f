from django.apps import AppConfig


class RestorationConfig(AppConfig):
    name = "kuangzheng.restoration"
    label = "restoration"
    verbose_name = "矿山地质环境治理恢复"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import feed  # noqa: F401  registers restoration's figures with monitoring (outside.py)
