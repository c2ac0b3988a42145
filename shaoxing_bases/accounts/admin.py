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

    def get_form(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {
            **kwargs.get("help_texts", {}),
            "is_active": "账号不能删除（审计日志须保留操作人）。人员离岗或账号停用时，取消勾选此项即可，"
            "停用后该账号无法登录。",
            "sso_subject": "浙江政务服务网返回的用户标识。仅当管理员在此填写后，"
            "该身份才能通过政务服务网登录本账号。",
        }
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None):
        """Never: audit entries keep the actor's id in their hash chain. Deactivate instead."""
        return False
