"""Admin for contracts: scoped like the pages. Savings rules are set here per center; contracts and their
parts are read-only (they change only through the services) and nobody deletes a financial row."""

from typing import Any

from django.contrib import admin

from core.admin import ScopedAdmin, ScopedTabularInline
from households.admin import PersonalDataAdmin, ReadOnlyMixin

from .models import Contract, Payoff, SavingsRule, SavingsTier, ScheduledInstalment, Tranche


class SavingsTierInline(ScopedTabularInline):
    model = SavingsTier
    fields = ["principal_from", "monthly_saving"]
    extra = 1

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(SavingsRule)
class SavingsRuleAdmin(ScopedAdmin):
    list_display = ["center", "instalment_share", "minimum_stock_share"]
    list_select_related = ["center"]
    inlines = [SavingsTierInline]


class TrancheInline(ReadOnlyMixin, ScopedTabularInline):
    model = Tranche
    fields = ["fund", "principal", "annual_rate", "method"]
    readonly_fields = fields
    extra = 0


class PayoffInline(ReadOnlyMixin, ScopedTabularInline):
    model = Payoff
    fields = ["debt_line", "amount", "paid_on", "receipt"]
    readonly_fields = fields
    extra = 0


class ScheduledInstalmentInline(ReadOnlyMixin, ScopedTabularInline):
    model = ScheduledInstalment
    fields = ["number", "due_on", "tranche", "principal", "interest", "balance"]
    readonly_fields = fields
    extra = 0


@admin.register(Contract)
class ContractAdmin(ReadOnlyMixin, PersonalDataAdmin):
    list_display = ["number", "center", "household", "term_months", "status", "drawn_up_on", "signed_on"]
    list_filter = ["status"]
    list_select_related = ["center", "household"]
    inlines = [TrancheInline, PayoffInline, ScheduledInstalmentInline]
