from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "评审"

    def ready(self) -> None:
        # Registration on import: the minute sweepers (tasks) and the guard on the units'
        # submissions (guards).
        from . import guards, tasks  # noqa: F401
