"""Admin of the publicity stage: the holiday table is kept here (the State Council's notice for a year
chinesecalendar does not know is entered by hand); notices and objections are read-only (they change
through the services)."""

from django.contrib import admin, messages
from django.utils import timezone

from review.screening.admin import ReadOnlyAdmin

from .calendar import holiday_warning
from .models import Holiday, Objection, Publicity


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        if warning := holiday_warning(timezone.localdate()):
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "starts_at", "ends_at", "notice_sha256")
    list_filter = ("state",)
    exclude = ("notice_html",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("receipt_no", "publicity", "state", "filed_at", "reviewer")
    list_filter = ("state",)
    search_fields = ("receipt_no",)
    list_select_related = ("publicity", "reviewer")
