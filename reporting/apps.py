from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "基地管理与年度报告"

    def ready(self) -> None:
        # The decision (发文) creates a training base for every application it approves, in its own
        # transaction: review must not import reporting, so reporting registers the effect.
        from review.decisions.effects import register_approval_effect

        from .services import training_base_create

        register_approval_effect(training_base_create)
