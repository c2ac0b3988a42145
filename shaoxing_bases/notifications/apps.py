from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shaoxing_bases.notifications"
    label = "notifications"
    verbose_name = "站内消息"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (joins the minute sweep: unsent e-mails)
