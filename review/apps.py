from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "评审"

    def ready(self) -> None:
        # Registration on import: the minute sweepers, the guard on the units' submissions and the
        # dashboard panels of each stage.
        from .screening import benchmarks, demo, guards, panels, tasks  # noqa: F401
