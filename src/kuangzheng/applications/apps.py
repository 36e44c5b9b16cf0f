from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "kuangzheng.applications"
    label = "applications"
    verbose_name = "审批 Applications and approvals"
