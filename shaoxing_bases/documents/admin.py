from django.contrib import admin

from .models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: an issued document is signed and archived; changing its row would only make a
    genuine file fail verification."""

    list_display = (
        "issued_at",
        "kind",
        "number",
        "title",
        "issuer",
        "signer",
        "verification_code",
        "timestamped",
    )
    list_filter = ("kind", "signer", "timestamped")
    search_fields = ("number", "title", "verification_code", "sha256")
    date_hierarchy = "issued_at"
    exclude = ("file",)  # MEDIA is private: the file is reached through each stage's own download view

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
