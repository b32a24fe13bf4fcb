"""The forms of the user admin: the office's area picked province first, then one of its districts."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scoping import OfficeLevel


class DistrictChoiceField(forms.ModelChoiceField):
    """A district with its province: several districts share a name (five are called เฉลิมพระเกียรติ)."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(district)s, %(province)s") % {"district": obj.name, "province": obj.province.name}


class OfficeAreaFormMixin:
    """The district select lists the districts of the chosen province (refilled by static/js/area-picker.js
    when the province changes, as the village pickers of geography do); a district of another province is
    refused, never saved with the province silently dropped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "province" not in self.fields or "district" not in self.fields:
            return
        province = self._chosen_province()
        if province and not self.is_bound:
            self.initial["province"] = province
        district = self.fields["district"]
        district.queryset = district.queryset.filter(province_id=province or "")
        district.error_messages["invalid_choice"] = _(
            "This district is not in the chosen province: choose the province first, "
            "then one of its districts from the list."
        )
        district.help_text = _(
            "For district officers: choose the province first, then the district of the office."
        )
        province_widget = self.fields["province"].widget
        # In the admin the select sits inside RelatedFieldWidgetWrapper (its "+" and pencil links).
        getattr(province_widget, "widget", province_widget).attrs.update(
            {
                "data-area-level": "province",
                "data-area-child": self["district"].auto_id,
                "data-area-url": reverse("geography:area_options", args=["district"]),
            }
        )

    def _chosen_province(self) -> str | None:
        if self.is_bound:
            return self.data.get(self.add_prefix("province")) or None
        instance = self.instance
        if instance.district_id:
            return instance.district_id[:2]  # a district's code starts with its province's code
        return instance.province_id or self.initial.get("province")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        district, province = cleaned.get("district"), cleaned.get("province")
        if (
            cleaned.get("office_level") == OfficeLevel.DISTRICT
            and district
            and province
            and district.province_id != province.pk
        ):
            self.add_error("district", self.fields["district"].error_messages["invalid_choice"])
        return cleaned


class UserAdminCreationForm(OfficeAreaFormMixin, AdminUserCreationForm):
    pass


class UserAdminChangeForm(OfficeAreaFormMixin, UserChangeForm):
    pass
