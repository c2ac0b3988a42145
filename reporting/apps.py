from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "基地管理与年度报告"

    def ready(self) -> None:
        # Registration on import: permissions, dashboard panels, the minute sweepers and demo data
        # of the bases, their funding and assessments.
        from .assessments import rules as _assessment_rules  # noqa: F401
        from .assessments import tasks as _assessment_tasks  # noqa: F401
        from .bases import admin as _bases_admin  # noqa: F401
        from .bases import benchmarks as _bases_benchmarks  # noqa: F401
        from .bases import demo as _bases_demo  # noqa: F401
        from .bases import panels as _bases_panels  # noqa: F401
        from .funding import rules as _funding_rules  # noqa: F401
