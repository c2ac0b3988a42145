from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "基地管理与年度报告"

    def ready(self) -> None:
        # Registration on import: the annual reports' permissions, minute sweepers, dashboard panels,
        # demo seeder and document sample.
        from .annual import admin, demo, documents, panels, rules, tasks  # noqa: F401
