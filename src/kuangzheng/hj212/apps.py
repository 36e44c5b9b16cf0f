from django.apps import AppConfig


class Hj212Config(AppConfig):
    name = "kuangzheng.hj212"
    label = "hj212"
    verbose_name = "在线监控 Online monitoring (HJ 212)"
