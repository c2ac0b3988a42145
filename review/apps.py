from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "评审"

    def ready(self) -> None:
        from . import rules, tasks  # noqa: F401  (permissions; deadline reminder sweep registration)
