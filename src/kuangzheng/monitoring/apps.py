from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kuangzheng.monitoring"
    label = "monitoring"
    verbose_name = "监测预警 Monitoring"
