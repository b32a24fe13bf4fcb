from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Only superusers manage staff accounts."""

    list_display = [
        "username",
        "first_name",
        "last_name",
        "position_title",
        "office_level",
        "province",
        "district",
        "is_active",
    ]
    list_filter = ["office_level", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["province", "district"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["province", "district"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Office"), {"fields": ["position_title", "office_level", "province", "district"]}),
        (_("Temporary password"), {"fields": ["must_change_password"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Office"), {"fields": ["position_title", "office_level", "province", "district"]}),
        (_("Temporary password"), {"fields": ["must_change_password"]}),
    ]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
