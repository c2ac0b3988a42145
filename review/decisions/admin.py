"""Admin of the decision: read-only (decisions change through the services only)."""

from django.contrib import admin

from review.screening.admin import ReadOnlyAdmin

from .models import ApprovalLetter, Decision, OutboxMessage


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("batch", "state", "document_number", "decision_date", "cosigned_at", "issued_at")
    list_select_related = ("batch",)


@admin.register(ApprovalLetter)
class ApprovalLetterAdmin(ReadOnlyAdmin):
    list_display = ("number", "application", "decision", "rendered_at")
    list_select_related = ("application__unit", "decision__batch")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "decision", "released_at", "recipients")
    list_select_related = ("decision__batch",)
