"""Admin of the expert review: the expert pool may be kept here too (through the same rules as the
portal's form); panels, sheets and draws are read-only (they change through the services)."""

from django.contrib import admin

from review.screening.admin import ReadOnlyAdmin

from .models import Draw, Expert, Panel, PanelMember, RankingEntry, RubricIndicator, ScoreSheet


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ("name", "employer", "title", "specialties", "region", "active", "user")
    list_filter = ("active", "region")
    search_fields = ("name", "employer", "specialties")
    list_select_related = ("region", "user")


class MemberInline(admin.TabularInline):
    model = PanelMember
    fields = ("kind", "expert", "user", "manual", "for_application", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ("batch", "state", "mode", "opened_at", "closed_at", "confirmed_at")
    list_select_related = ("batch",)
    inlines = [MemberInline]


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("panel", "purpose", "specialty", "requested", "seed", "drawn_at")
    list_select_related = ("panel__batch",)


@admin.register(RubricIndicator)
class RubricIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("panel", "order", "name", "max_points", "training_scale")
    list_select_related = ("panel__batch",)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ("panel", "member", "application", "state", "total", "submitted_at")
    list_filter = ("state",)
    list_select_related = ("panel__batch", "member__expert", "application__unit")


@admin.register(RankingEntry)
class RankingEntryAdmin(ReadOnlyAdmin):
    list_display = ("panel", "position", "application", "final_score", "shortlisted")
    list_select_related = ("panel__batch", "application__unit")
