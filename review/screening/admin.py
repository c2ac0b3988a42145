"""Read-mostly admin of the county screening: state changes go through the portal's services."""

from django.contrib import admin

from .models import ClauseJudgement, Recommendation, RecommendationEntry, ScreeningReminder


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows are written by the services (with their locks, logs and notifications), never here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RecommendationEntryInline(admin.TabularInline):
    model = RecommendationEntry
    fields = ("rank", "application", "opinion")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("region", "batch", "state", "cosigned_at", "submitted_at", "letter_rendered_at")
    list_filter = ("state", "batch", "region")
    list_select_related = ("region", "batch")
    readonly_fields = (
        "batch",
        "region",
        "state",
        "finance_comment",
        "cosigned_by",
        "cosigned_at",
        "submitted_by",
        "submitted_at",
        "letter",
        "letter_sha256",
        "letter_rendered_at",
        "created_at",
        "updated_at",
    )
    inlines = [RecommendationEntryInline]


@admin.register(ClauseJudgement)
class ClauseJudgementAdmin(ReadOnlyAdmin):
    list_display = ("application", "clause", "key", "outcome", "decided_by", "decided_at")
    list_filter = ("outcome", "clause")
    list_select_related = ("application__unit", "application__batch", "decided_by")
    search_fields = ("application__unit__name", "key")


@admin.register(ScreeningReminder)
class ScreeningReminderAdmin(ReadOnlyAdmin):
    list_display = ("batch", "region", "kind", "sent_at", "recipients")
    list_filter = ("kind", "batch", "region")
    list_select_related = ("batch", "region")
