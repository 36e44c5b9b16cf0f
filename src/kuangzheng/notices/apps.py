from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kuangzheng.notices"
    label = "notices"
    verbose_name = "公告 Public notices"
