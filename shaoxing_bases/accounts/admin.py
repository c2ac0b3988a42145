from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sort_order")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "role", "region", "unit", "is_active", "last_login")
    list_filter = ("role", "region", "is_active")
    search_fields = ("username", "display_name", "email")
    list_select_related = ("region", "unit")
    raw_id_fields = ("unit",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("平台角色", {"fields": ("role", "region", "unit", "display_name", "phone", "sso_subject")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("平台角色", {"fields": ("role", "region", "display_name")}),
    )
