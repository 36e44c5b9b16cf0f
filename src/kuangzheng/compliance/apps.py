from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "kuangzheng.compliance"
    label = "compliance"
    verbose_name = "合规审查 Compliance"
