from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the trail through the UI."""

    list_display = ("created_at", "username", "action", "outcome", "ip_address", "path")
    list_filter = ("action", "outcome")
    search_fields = ("username", "ip_address", "path")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
