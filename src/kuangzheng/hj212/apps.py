from django.apps import AppConfig


class Hj212Config(AppConfig):
    name = "kuangzheng.hj212"
    label = "hj212"
    verbose_name = "在线监控 Online monitoring (HJ 212)"

    def ready(self):
        from . import layer  # the monitoring points as a public layer of the Features API

        layer.register()
