from django.contrib import admin

from .models import AuditCheckpoint, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the trail or its checkpoints through the UI."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "username", "action", "outcome", "ip_address", "path")
    list_filter = ("action", "outcome")
    search_fields = ("username", "ip_address", "path")
    date_hierarchy = "created_at"


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "entry_count", "last_entry_id", "head_hash", "note")
    list_filter = ("kind",)
    date_hierarchy = "created_at"
