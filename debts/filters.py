from typing import Any

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from core.filters import StrictFilterSet
from core.scoping import OfficeLevel
from geography.forms import children_of
from households.models import Household, HouseholdStatus

from .models import DebtLine, Sector

YES_NO = [("yes", _("yes")), ("no", _("no"))]
ALL = _("— all —")


def centers_for_filter(user: Any, district: str | None):
    """The centers offered in the filter: those of the chosen district (or the officer's own district)."""
    centers = Center.objects.visible_to(user).order_by("name", "pk")
    if not user.is_superuser and user.office_level == OfficeLevel.DISTRICT:
        return centers
    if district:
        return centers.filter(village__subdistrict__district_id=district)
    return centers.none()


class HouseholdFilter(StrictFilterSet):
    """The household list's filters. Debt filters look at what is still outstanding on open lines."""

    q = django_filters.CharFilter(label=_("Name or house number"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="center__village__subdistrict__district__province", queryset=None
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="center__village__subdistrict__district", queryset=None
    )
    center = django_filters.ModelChoiceFilter(label=_("Center"), queryset=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HouseholdStatus.choices, empty_label=ALL)
    sector = django_filters.ChoiceFilter(label=_("Owes to"), choices=Sector.choices, method="owes_to")
    informal = django_filters.ChoiceFilter(
        label=_("Has informal debt"), choices=YES_NO, method="has_informal"
    )
    debt_free = django_filters.ChoiceFilter(
        label=_("Nothing outstanding in the registry"), choices=YES_NO, method="nothing_outstanding"
    )

    class Meta:
        model = Household
        fields = ["q", "province", "district", "center", "status", "sector", "informal", "debt_free"]

    def __init__(self, data: Any = None, *args: Any, user: Any, show_names: bool, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            center = data.get("center") or ""
            if center.isascii() and center.isdigit() and len(center) <= 18 and not data.get("district"):
                # A center chosen alone (a link, an export URL): its district, so that the center's
                # choices are those of its district and the filter is applied, not dropped.
                data["district"] = (
                    Center.objects.visible_to(user)
                    .filter(pk=int(center))
                    .values_list("village__subdistrict__district_id", flat=True)
                    .first()
                    or ""
                )
            code = data.get("district") or ""
            if len(code) >= 2 and not data.get("province"):
                data["province"] = code[:2]
        super().__init__(data, *args, **kwargs)
        if not show_names:
            del self.filters["q"]  # no search by name for those who see no names
        for field in self.form.fields.values():
            is_select = getattr(field.widget, "input_type", "") == "select"
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        province = (data or {}).get("province") or None
        district = (data or {}).get("district") or None
        if not user.is_superuser and user.office_level == OfficeLevel.DISTRICT:
            district = user.district_id
        fields = self.form.fields
        fields["province"].queryset = children_of("province", None, user)
        fields["district"].queryset = children_of("district", province, user)
        fields["center"].queryset = centers_for_filter(user, district)
        for name in ("province", "district", "center"):
            fields[name].empty_label = ALL
        fields["province"].widget.attrs.update(
            {
                "data-area-level": "province",
                "data-area-child": "id_district",
                "data-area-url": reverse("geography:area_options", args=["district"]),
            }
        )
        fields["district"].widget.attrs.update(
            {
                "data-area-level": "district",
                "data-area-child": "id_center",
                "data-area-url": reverse("debts:center_options"),
            }
        )

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(head_name__icontains=value) | Q(house_number__iexact=value))

    def owes_to(self, queryset, name: str, value: str):
        owing = DebtLine.objects.filter(sector=value, status=DebtLine.Status.OPEN, current_balance__gt=0)
        return queryset.filter(pk__in=owing.values("household_id"))

    def has_informal(self, queryset, name: str, value: str):
        return (
            self.owes_to(queryset, name, Sector.INFORMAL)
            if value == "yes"
            else queryset.exclude(
                pk__in=DebtLine.objects.filter(
                    sector=Sector.INFORMAL, status=DebtLine.Status.OPEN, current_balance__gt=0
                ).values("household_id")
            )
        )

    def nothing_outstanding(self, queryset, name: str, value: str):
        owing = DebtLine.objects.filter(status=DebtLine.Status.OPEN, current_balance__gt=0).values(
            "household_id"
        )
        return queryset.exclude(pk__in=owing) if value == "yes" else queryset.filter(pk__in=owing)
