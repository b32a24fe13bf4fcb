"""Admin for households: the same scoping as the pages, personal data only where the pages show it.

National IDs appear masked and are never editable here (the pages register and correct them, with checks);
status moves go through the services; logs and status changes are read-only.
"""

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin, ScopedTabularInline

from .models import BudgetStatement, Household, PersonalDataLog, StatusChange, personal_data_q


class PersonalDataAdmin(ScopedAdmin):
    """Rows holding personal data: only for those who may see it (district officers there, admins)."""

    def get_queryset(self, request):
        return super().get_queryset(request).personal_data_visible_to(request.user)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False


class StatusChangeInline(ReadOnlyMixin, ScopedTabularInline):
    model = StatusChange
    fields = ["from_status", "to_status", "changed_on", "note", "recorded_by"]
    readonly_fields = fields
    extra = 0


@admin.register(Household)
class HouseholdAdmin(PersonalDataAdmin):
    list_display = ["house_number", "head_name", "center", "village", "status", "masked_national_id"]
    list_filter = ["status"]
    list_select_related = ["center", "village"]
    search_fields = ["head_name", "house_number", "center__name"]
    fields = [
        "center", "village", "house_number", "head_name", "masked_national_id", "phone", "members",
        "occupations", "occupational_groups", "privacy_notice_version", "surveyed_by", "surveyed_on",
        "status", "status_since",
    ]  # fmt: skip
    readonly_fields = ["center", "masked_national_id", "status", "status_since"]
    filter_horizontal = ["occupational_groups"]
    inlines = [StatusChangeInline]

    @admin.display(description=_("national ID"))
    def masked_national_id(self, obj: Household) -> str:
        return obj.national_id_masked

    def has_add_permission(self, request) -> bool:
        return False  # registration checks and encrypts the national ID: use the household pages

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False  # debts, budgets and the personal data log refer to it


@admin.register(BudgetStatement)
class BudgetStatementAdmin(PersonalDataAdmin):
    list_display = ["household", "as_of", "total_income", "total_expenses", "surplus"]
    list_select_related = ["household"]
    date_hierarchy = "as_of"

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False  # financial records are corrected, never deleted

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "household":
            kwargs["queryset"] = Household.objects.personal_data_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PersonalDataLog)
class PersonalDataLogAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ["at", "user", "action", "what", "row_count"]
    list_filter = ["action"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        # Who looked at whose data is itself personal: the same people as the data, not the province.
        return super().get_queryset(request).filter(personal_data_q(request.user, "district"))
