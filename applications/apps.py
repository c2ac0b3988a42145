from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self) -> None:
        from . import rules, tasks  # noqa: F401  (permissions; deadline sweep registration)
