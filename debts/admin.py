"""Admin for the debt registry: scoped like the pages; nobody deletes a debt or a balance, not even an admin;
balances are read-only (a new balance is recorded on the household page)."""

from typing import Any

from django.contrib import admin

from core.admin import ScopedAdmin, ScopedTabularInline
from households.admin import PersonalDataAdmin, ReadOnlyMixin

from . import services
from .models import DebtBalance, DebtLine, ImportJob


class DebtBalanceInline(ReadOnlyMixin, ScopedTabularInline):
    model = DebtBalance
    fields = ["as_of", "balance", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(DebtLine)
class DebtLineAdmin(PersonalDataAdmin):
    list_display = [
        "household", "creditor_type", "sector", "current_balance", "balance_as_of", "annual_rate", "status",
    ]  # fmt: skip
    list_filter = ["sector", "creditor_type", "status"]
    list_select_related = ["household"]
    readonly_fields = [
        "household",
        "sector",
        "annual_rate",
        "current_balance",
        "balance_as_of",
        "status",
        "closed_on",
    ]
    inlines = [DebtBalanceInline]

    def has_add_permission(self, request) -> bool:
        return False  # a new line needs its first balance: add it on the household page

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False

    def save_model(self, request, obj: DebtLine, form, change: bool) -> None:
        services.debt_line_update(user=request.user, line=obj)


@admin.register(DebtBalance)
class DebtBalanceAdmin(ReadOnlyMixin, PersonalDataAdmin):
    list_display = ["line", "as_of", "balance", "recorded_by", "recorded_at"]
    list_select_related = ["line__household", "recorded_by"]
    date_hierarchy = "as_of"


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ["created_at", "center", "created_by", "file_name", "status", "total_rows", "error_count"]
    list_filter = ["status"]
    list_select_related = ["center", "created_by"]
    exclude = ["errors"]
