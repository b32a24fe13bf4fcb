"""Chained province → district → subdistrict → village pickers.

Each select lists only the children of the value chosen above it, so no page loads thousands of options,
and a child that does not belong to its parent fails validation as an invalid choice.
`static/js/area-picker.js` refills a select from `geography:area_options` when its parent changes.
"""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import BoundedModelChoiceField
from core.scoping import OfficeLevel

from .models import District, Province, Subdistrict, Village

AREA_LEVELS = ("province", "district", "subdistrict", "village")
AREA_LABELS = {
    "province": _("Province"),
    "district": _("District"),
    "subdistrict": _("Subdistrict"),
    "village": _("Village"),
}


def area_choice_field(level: str, *, required: bool = True) -> forms.ModelChoiceField:
    return BoundedModelChoiceField(
        queryset=_model_for(level).objects.none(),
        label=AREA_LABELS[level],
        required=required,
        empty_label=_("— choose —"),
        error_messages={
            "invalid_choice": _("This %(level)s is not among the choices; choose again from the list.")
            % {"level": AREA_LABELS[level]},
            "required": _("Choose a %(level)s.") % {"level": AREA_LABELS[level]},
        },
    )


def _model_for(level: str):
    return {"province": Province, "district": District, "subdistrict": Subdistrict, "village": Village}[level]


def children_of(level: str, parent: str | None, user: Any):
    """The options of `level` under the parent value chosen one level up (a DOPA code or a village id)."""
    if level == "province":
        provinces = Province.objects.with_cdd_office()
        if not user.is_superuser and user.office_level == OfficeLevel.PROVINCE:
            provinces = provinces.filter(code=user.province_id)
        elif not user.is_superuser and user.office_level == OfficeLevel.DISTRICT:
            provinces = provinces.filter(code=(user.district_id or "")[:2])
        return provinces
    if not parent:
        return _model_for(level).objects.none()
    if level == "district":
        districts = District.objects.filter(province_id=parent)
        if not user.is_superuser and user.office_level == OfficeLevel.DISTRICT:
            districts = districts.filter(code=user.district_id)
        return districts
    if level == "subdistrict":
        return Subdistrict.objects.filter(district_id=parent)
    return Village.objects.visible_to(user).filter(subdistrict_id=parent)


class AreaPickerMixin:
    """For a form whose last area level is a model field (for example `subdistrict` or `village`).

    The form declares `area_levels`, calls `setup_area_pickers(user)` in `__init__`, and gets one select
    per level, each limited to the children of the level above and to the user's jurisdiction.
    """

    area_levels: tuple[str, ...] = ("province", "district", "subdistrict")

    def setup_area_pickers(self, user: Any) -> None:
        chosen = self._chosen_areas(user)
        parent = None
        for index, level in enumerate(self.area_levels):
            if level not in self.fields:
                self.fields[level] = area_choice_field(level)
            field = self.fields[level]
            field.queryset = children_of(level, parent, user)
            field.label = AREA_LABELS[level]
            if chosen.get(level) and not self.is_bound:
                self.initial[level] = chosen[level]
            attrs = {"class": "form-select", "data-area-level": level}
            if index + 1 < len(self.area_levels):
                child = self.area_levels[index + 1]
                attrs["data-area-child"] = (
                    f"id_{self.add_prefix(child)}" if hasattr(self, "add_prefix") else child
                )
                attrs["data-area-url"] = reverse("geography:area_options", args=[child])
            field.widget.attrs.update(attrs)
            parent = chosen.get(level)

    def _chosen_areas(self, user: Any) -> dict[str, str | None]:
        """The value at each level: from the submitted data, else the instance, else the user's office."""
        chosen: dict[str, str | None] = dict.fromkeys(self.area_levels)
        if self.is_bound:
            for level in self.area_levels:
                chosen[level] = self.data.get(self.add_prefix(level)) or None
            return chosen
        last = self.area_levels[-1]
        instance_area = getattr(getattr(self, "instance", None), f"{last}_id", None) or self.initial.get(last)
        codes = _area_codes(last, instance_area)
        if not codes and not user.is_superuser:
            if user.office_level == OfficeLevel.DISTRICT and user.district_id:
                codes = {"province": user.district_id[:2], "district": user.district_id}
            elif user.office_level == OfficeLevel.PROVINCE and user.province_id:
                codes = {"province": user.province_id}
        chosen.update({level: codes.get(level) for level in self.area_levels})
        return chosen


def _area_codes(level: str, value: Any) -> dict[str, str]:
    """The codes of every level above and at `level`, read from a village id or an area code."""
    if not value:
        return {}
    value = getattr(value, "pk", value)
    if level == "village":
        village = Village.objects.filter(pk=value).values_list("subdistrict_id", flat=True).first()
        return {**_area_codes("subdistrict", village), "village": value} if village else {}
    code = str(value)
    lengths = {"province": 2, "district": 4, "subdistrict": 6}
    return {name: code[:length] for name, length in lengths.items() if length <= len(code)}


class VillageForm(AreaPickerMixin, forms.ModelForm):
    area_levels = ("province", "district", "subdistrict")

    class Meta:
        model = Village
        fields = ["subdistrict", "moo", "name"]
        error_messages = {
            "moo": {
                "min_value": _("The village number (moo) must be between 1 and 99."),
                "max_value": _("The village number (moo) must be between 1 and 99."),
            }
        }

    field_order = ["province", "district", "subdistrict", "moo", "name"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"] = area_choice_field("subdistrict")
        self.setup_area_pickers(user)
        self.order_fields(self.field_order)
