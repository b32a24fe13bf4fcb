from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedChoicesMixin
from geography.models import District

from .admin_forms import DistrictChoiceField, UserAdminChangeForm, UserAdminCreationForm
from .models import User

OFFICE_FIELDS = ["position_title", "office_level", "province", "district", "reviews_reports"]


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    """Only superusers manage staff accounts. The office's district is picked under its province."""

    form = UserAdminChangeForm
    add_form = UserAdminCreationForm

    list_display = [
        "username",
        "first_name",
        "last_name",
        "position_title",
        "office_level",
        "province",
        "district",
        "reviews_reports",
        "is_active",
    ]
    list_filter = ["office_level", "reviews_reports", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["province", "district"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Office"), {"fields": OFFICE_FIELDS}),
        (_("Temporary password"), {"fields": ["must_change_password"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Office"), {"fields": OFFICE_FIELDS}),
        (_("Temporary password"), {"fields": ["must_change_password"]}),
    ]

    class Media:
        js = ["js/area-picker.js"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["form_class"] = DistrictChoiceField
            kwargs["queryset"] = District.objects.select_related("province")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
