from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "基地管理与年度报告"

    def ready(self) -> None:
        # Registration on import: permissions, dashboard panels, the minute sweepers, demo data,
        # benchmarks and document samples of the bases, their funding, assessments and annual reports.
        from review.decisions.effects import register_approval_effect

        from .annual import admin, benchmarks, demo, documents, jobs, panels, rules, tasks  # noqa: F401
        from .assessments import rules as _assessment_rules  # noqa: F401
        from .assessments import tasks as _assessment_tasks  # noqa: F401
        from .bases import admin as _bases_admin  # noqa: F401
        from .bases import benchmarks as _bases_benchmarks  # noqa: F401
        from .bases import demo as _bases_demo  # noqa: F401
        from .bases import panels as _bases_panels  # noqa: F401
        from .funding import rules as _funding_rules  # noqa: F401
        from .scale import seed_scale_bases  # noqa: F401
        from .services import training_base_create

        # The decision (发文) creates a training base for every application it approves, in its own
        # transaction: review must not import reporting, so reporting registers the effect.
        register_approval_effect(training_base_create)
