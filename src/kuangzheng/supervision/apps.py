from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "kuangzheng.supervision"
    label = "supervision"
    verbose_name = "监管执法 Supervision and enforcement"
