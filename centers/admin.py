from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin, ScopedTabularInline

from .models import Center, CommitteeMember, GroupRevenue, MemberFund, OccupationalGroup, Recognition


class CenterPartInline(ScopedTabularInline):
    """An inline that follows its parent's permissions: editable when the parent is, never deleted
    (financial and committee records are corrected, not removed; a committee term is ended, not erased)."""

    extra = 0

    def _parent_editable(self, request, obj) -> bool:
        return obj is None or type(obj)._default_manager.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff


class MemberFundInline(CenterPartInline):
    model = MemberFund
    fields = ["fund_type", "name", "funds_in_row", "is_core", "holds_money", "in_managed_capital",
              "capital_note", "capital", "capital_as_of", "members", "lending_rate", "rate_unit"]  # fmt: skip


class CommitteeMemberInline(CenterPartInline):
    model = CommitteeMember
    fields = ["full_name", "role", "fund", "term_start", "term_end"]


class OccupationalGroupInline(CenterPartInline):
    model = OccupationalGroup
    fields = ["name", "product", "members"]
    show_change_link = True


class RecognitionInline(CenterPartInline):
    model = Recognition


class GroupRevenueInline(CenterPartInline):
    model = GroupRevenue


@admin.register(Center)
class CenterAdmin(ScopedAdmin):
    list_display = ["name", "village", "founded_year", "status"]
    list_filter = ["status", "recognitions__level"]
    list_select_related = ["village__subdistrict"]
    search_fields = ["name", "village__name"]
    inlines = [MemberFundInline, CommitteeMemberInline, OccupationalGroupInline, RecognitionInline]


class OccupationalGroupAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        center = cleaned.get("center") or getattr(self.instance, "center", None)
        funds = cleaned.get("supporting_funds")
        if center and funds and any(fund.center_id != center.pk for fund in funds):
            self.add_error("supporting_funds", _("Choose only member funds of this group's own center."))
        return cleaned


@admin.register(OccupationalGroup)
class OccupationalGroupAdmin(ScopedAdmin):
    list_display = ["name", "center", "product", "members"]
    list_select_related = ["center"]
    search_fields = ["name", "product", "center__name"]
    filter_horizontal = ["supporting_funds"]
    form = OccupationalGroupAdminForm
    inlines = [GroupRevenueInline]
