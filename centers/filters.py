from typing import Any

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.filters import StrictFilterSet
from geography.forms import children_of

from .models import Center, Recognition


class CenterFilter(StrictFilterSet):
    """The center list's filters; the area selects chain like the forms' pickers."""

    q = django_filters.CharFilter(label=_("Name or village"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="village__subdistrict__district__province", queryset=None
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="village__subdistrict__district", queryset=None
    )
    subdistrict = django_filters.ModelChoiceFilter(
        label=_("Subdistrict"), field_name="village__subdistrict", queryset=None
    )
    recognition = django_filters.ChoiceFilter(
        label=_("Recognition"), choices=Recognition.Level.choices, method="recognised"
    )
    founded_year = django_filters.NumberFilter(label=_("Year founded (BE)"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Center.Status.choices)

    class Meta:
        model = Center
        fields = ["q", "province", "district", "subdistrict", "recognition", "founded_year", "status"]

    def __init__(self, data: Any = None, *args: Any, user: Any, **kwargs: Any) -> None:
        if data is not None:
            data = _with_parent_areas(data)
        super().__init__(data, *args, **kwargs)
        for field in self.form.fields.values():
            is_select = getattr(field.widget, "input_type", "") == "select"
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        self.form.fields["founded_year"].widget.attrs["inputmode"] = "numeric"
        chosen = {level: (data or {}).get(level) or None for level in ("province", "district")}
        parents = {"province": None, "district": chosen["province"], "subdistrict": chosen["district"]}
        levels = list(parents)
        for index, level in enumerate(levels):
            field = self.form.fields[level]
            field.queryset = children_of(level, parents[level], user)
            field.empty_label = _("— all —")
            if index + 1 < len(levels):
                child = levels[index + 1]
                field.widget.attrs.update(
                    {
                        "data-area-level": level,
                        "data-area-child": f"id_{child}",
                        "data-area-url": reverse("geography:area_options", args=[child]),
                    }
                )

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(village__name__icontains=value))
            if value
            else queryset
        )

    def recognised(self, queryset, name: str, value: str):
        return queryset.filter(pk__in=Recognition.objects.filter(level=value).values("center_id"))


def _with_parent_areas(data: Any) -> Any:
    """Fill in the province and district implied by a district or subdistrict code (codes nest by prefix)."""
    data = data.copy()
    code = data.get("subdistrict") or data.get("district") or ""
    if len(code) >= 4 and not data.get("district"):
        data["district"] = code[:4]
    if len(code) >= 2 and not data.get("province"):
        data["province"] = code[:2]
    return data
