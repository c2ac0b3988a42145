from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shaoxing_bases.notifications"
    label = "notifications"
    verbose_name = "站内消息"
