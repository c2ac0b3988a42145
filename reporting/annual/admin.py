"""Read-only admin of the annual reports: every change goes through the portal's services."""

from django.contrib import admin

from .models import AnnualReport, AnnualReportingYear, AnnualReportNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows are written by the services (with their locks, logs and notifications), never here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = (
        "base",
        "year",
        "state",
        "below_threshold",
        "overdue_at",
        "submitted_at",
        "city_received_at",
    )
    list_filter = ("year", "state", "below_threshold", "base__region")
    list_select_related = ("base",)
    search_fields = ("base__name", "base__unit__name")


@admin.register(AnnualReportingYear)
class AnnualReportingYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "opened_at", "opened_by")


@admin.register(AnnualReportNotice)
class AnnualReportNoticeAdmin(ReadOnlyAdmin):
    list_display = ("report", "kind", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("report", "report__base")
