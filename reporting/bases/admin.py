"""Admin of the bases' funding and assessments: read-only (they change through the services, with
their locks, transition logs, audit entries and notifications). Registered from ``ReportingConfig.ready``
so that the annual reports keep ``reporting/admin.py`` to themselves."""

from django.contrib import admin

from review.screening.admin import ReadOnlyAdmin

from ..models import Assessment, FundingRecord


@admin.register(FundingRecord)
class FundingRecordAdmin(ReadOnlyAdmin):
    list_display = ("base", "year", "purpose", "amount", "document_reference", "recorded_by", "recorded_at")
    list_filter = ("year", "purpose", "base__region")
    search_fields = ("base__name", "document_reference")
    list_select_related = ("base", "recorded_by")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = (
        "base",
        "assessed_on",
        "result",
        "rectification_deadline",
        "exit_decision",
        "exit_document_number",
        "recorded_by_organisation",
    )
    list_filter = ("result", "exit_decision", "base__region")
    search_fields = ("base__name", "exit_document_number")
    list_select_related = ("base",)
