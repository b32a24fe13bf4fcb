"""Forms of the visits pages. They validate input and build objects; visits.services writes them."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.models import ModelChoiceIterator
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from core.fields import BEDateField, BoundedModelChoiceField, BoundedModelMultipleChoiceField
from core.forms import thai_formfield
from core.scoping import OfficeLevel, choices_for
from core.thai import PLAUSIBLE_MIN_YEAR_BE
from geography.models import District, Province

from .access import report_centers_left, trip_level_choices
from .images import ACCEPT_EVIDENCE, ACCEPT_IMAGES, max_upload_bytes
from .models import (
    OPEN_STATUSES,
    CenterReport,
    ItineraryStop,
    Recommendation,
    RecommendationStatus,
    RegistryKind,
    ReportPhoto,
    Trip,
    TripLevel,
    TripMember,
)

TEXTAREA_SMALL = {"rows": 2}
TEXTAREA = {"rows": 4}


class ParentAwareInlineFormSet(BaseInlineFormSet):
    """Gives each row its (possibly unsaved) parent object, so that the row's model `clean()` can compare
    its dates with the parent's before anything is saved."""

    def _construct_form(self, i: int, **kwargs: Any):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        return form

    @property
    def changed_objects_to_save(self) -> list[Any]:
        """Call after `save(commit=False)`: the new and changed rows."""
        return list(self.new_objects) + [obj for obj, _fields in self.changed_objects]


# --- trips -----------------------------------------------------------------------------------------------


def _user_province(user: Any) -> str | None:
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return user.district_id[:2]
    if user.office_level == OfficeLevel.PROVINCE:
        return user.province_id
    return None


# The trip's fields, the same on the trip page and in the admin.
TRIP_FIELDS = [
    *("title", "level", "purpose", "ordered_by", "start_date", "end_date"),
    *("province", "district", "helping_offices", "people_met"),
]


class TripForm(forms.ModelForm):
    start_date = BEDateField(label=_("First day"), min_year_be=PLAUSIBLE_MIN_YEAR_BE)
    end_date = BEDateField(label=_("Last day"), min_year_be=PLAUSIBLE_MIN_YEAR_BE)

    class Meta:
        model = Trip
        formfield_callback = thai_formfield
        fields = TRIP_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs=TEXTAREA_SMALL),
            "helping_offices": forms.Textarea(attrs=TEXTAREA_SMALL),
            "people_met": forms.Textarea(attrs=TEXTAREA_SMALL),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        level_field = self.fields["level"]
        level_field.choices = trip_level_choices(user, self.instance)  # core.scoping.trip_levels_for
        level_field.error_messages["invalid_choice"] = _(
            "You cannot record a trip of this level: choose one from the list."
        )
        province_field = self.fields["province"]
        district_field = self.fields["district"]
        province_field.queryset = Province.objects.with_cdd_office()
        own_province = None if user.is_superuser else _user_province(user)
        if own_province:
            province_field.queryset = Province.objects.filter(code=own_province)
            self.initial["province"] = province_field.initial = own_province
            province_field.disabled = True
        if not user.is_superuser and user.office_level == OfficeLevel.DISTRICT:
            district_field.queryset = District.objects.filter(code=user.district_id)
            self.initial["district"] = district_field.initial = user.district_id
            district_field.disabled = True
        else:
            chosen = self.data.get(self.add_prefix("province")) if self.is_bound else None
            chosen = own_province or chosen or self.instance.province_id or self.initial.get("province")
            district_field.queryset = District.objects.filter(province_id=chosen or "")
            district_field.empty_label = _("— several districts —")
            if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
                province_field.widget.attrs.update(
                    {
                        "data-area-level": "province",
                        "data-area-child": self["district"].auto_id,
                        "data-area-url": reverse("geography:area_options", args=["district"]),
                    }
                )
        if not self.instance.pk and not self.is_bound:
            self.initial["level"] = {
                OfficeLevel.DISTRICT: TripLevel.DISTRICT,
                OfficeLevel.PROVINCE: TripLevel.PROVINCE,
            }.get(user.office_level, TripLevel.DEPARTMENT)

        # the itinerary's center menus follow the province chosen (static/js/visits-forms.js), so the stops
        # are linked to their centers on the first save
        province_field.widget.attrs["data-stop-centers-url"] = reverse("visits:stop_center_options")

    def province_id(self) -> str | None:
        """The province chosen in this form (for the center choices of the itinerary)."""
        if self.fields["province"].disabled:
            return self.fields["province"].initial
        if self.is_bound:
            return self.data.get(self.add_prefix("province")) or None
        return self.instance.province_id or self.initial.get("province")


def team_user_choices(user: Any):
    """Staff accounts that can be put in a team: colleagues of the user's province, or of the department
    (the rule of core.scoping.choices_for, which the admin's team inline uses too)."""
    return choices_for(user, get_user_model()).order_by("first_name", "last_name", "username")


class StaffChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.position_title})" if obj.position_title else name


class TripMemberForm(forms.ModelForm):
    user = StaffChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Staff account")
    )

    class Meta:
        model = TripMember
        formfield_callback = thai_formfield
        fields = ["user", "name", "position", "office", "is_leader"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team_user_choices(user)
        self.fields["name"].help_text = _("Leave empty to show the person by position only.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("user") and not (cleaned.get("position") or "").strip():
            self.add_error("position", _("Choose a staff account, or give the person's position."))
        return cleaned


class ItineraryStopForm(forms.ModelForm):
    date = BEDateField(label=_("Date"), min_year_be=PLAUSIBLE_MIN_YEAR_BE)
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("For example 08:30"),
    )

    class Meta:
        model = ItineraryStop
        formfield_callback = thai_formfield
        fields = ["date", "time", "description", "center"]

    def __init__(self, *args: Any, centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers
        self.fields["center"].widget.attrs["data-stop-center"] = ""
        self.fields["center"].help_text = _("The centers of the trip's province are listed.")
        self.fields["center"].empty_label = _("— not a center visit —")
        self.fields["center"].error_messages["invalid_choice"] = _(
            "Choose a center of the trip's province from the list."
        )


class TripMemberInlineFormSet(ParentAwareInlineFormSet):
    def clean(self) -> None:
        """One leader at most (visits.services.trip_save makes the first member lead if none is ticked)."""
        super().clean()
        if any(self.errors):
            return
        leaders = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_leader") and not self._should_delete_form(form)
        ]
        if len(leaders) > 1:
            raise forms.ValidationError(_("A team has one leader: tick one member only."))


TripMemberFormSet = inlineformset_factory(
    Trip, TripMember, form=TripMemberForm, formset=TripMemberInlineFormSet, extra=1, can_delete=True
)
ItineraryStopFormSet = inlineformset_factory(
    Trip, ItineraryStop, form=ItineraryStopForm, formset=ParentAwareInlineFormSet, extra=1, can_delete=True
)


def stop_center_choices(user: Any, province_id: str | None):
    """The centers an itinerary stop may visit: those the user sees in the trip's province (the one chosen in
    the form, saved or not)."""
    if not province_id:
        return Center.objects.none()
    centers = Center.objects.visible_to(user)
    return centers.filter(village__subdistrict__district__province=province_id).with_area()


# --- reports ---------------------------------------------------------------------------------------------


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices of a model choice field read with one plain query, where Django's iterator reads them
    through a server-side cursor on PostgreSQL (DECLARE, FETCH and CLOSE: three round trips) each time."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class CenterReportForm(forms.ModelForm):
    # A new report's one-time token (visits.services.report_create): the same form sent twice records once.
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is incomplete: open it again."),
            "invalid": _("This form is incomplete: open it again."),
        },
    )
    visit_date = BEDateField(
        label=_("Date of the visit"), allow_future=False, min_year_be=PLAUSIBLE_MIN_YEAR_BE
    )
    registries_kept = BoundedModelMultipleChoiceField(
        queryset=RegistryKind.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Registries the center keeps up to date"),
        help_text=_("Tick each registry you saw kept and up to date."),
    )

    class Meta:
        model = CenterReport
        formfield_callback = thai_formfield
        fields = [
            "center",
            "visit_date",
            "people_met",
            "people_met_count",
            "finding_committee",
            "finding_funds",
            "finding_contracts",
            "finding_savings",
            "finding_registries",
            "registries_kept",
            "finding_occupations",
            "strengths",
            "problems",
        ]
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA)
            for name in [
                "people_met",
                "finding_committee",
                "finding_funds",
                "finding_contracts",
                "finding_savings",
                "finding_registries",
                "finding_occupations",
                "strengths",
                "problems",
            ]
        }

    def __init__(self, *args: Any, user: Any, trip: Trip, centers: Any = None, **kwargs: Any) -> None:
        """`centers`: those of access.report_centers_left, when the view has them already."""
        super().__init__(*args, **kwargs)
        self.instance.trip = trip
        kinds = RegistryKind.objects.filter(active=True)
        if self.instance.pk:
            kept = self.instance.registries_kept.all()
            kinds = RegistryKind.objects.filter(Q(active=True) | Q(pk__in=kept))
            del self.fields["center"]
            del self.fields["token"]
        else:
            self.initial.setdefault("token", uuid.uuid4())
            center = self.fields["center"]
            center.iterator = ListedChoiceIterator  # before the queryset, which hands the widget its choices
            center.queryset = report_centers_left(user, trip) if centers is None else centers
            center.error_messages["invalid_choice"] = _(
                "Choose a center from the list: only centers of the trip's province that you may report on, "
                "and that have no report on this trip yet, are listed."
            )
        self.fields["registries_kept"].iterator = ListedChoiceIterator
        self.fields["registries_kept"].queryset = kinds.distinct()
        self.fields["people_met_count"].widget.attrs["inputmode"] = "numeric"


class RecommendationForm(forms.ModelForm):
    due_date = BEDateField(label=_("Due date"), required=False, min_year_be=PLAUSIBLE_MIN_YEAR_BE)

    class Meta:
        model = Recommendation
        formfield_callback = thai_formfield
        fields = ["text", "addressed_to", "due_date"]
        widgets = {"text": forms.Textarea(attrs=TEXTAREA_SMALL)}


RecommendationFormSet = inlineformset_factory(
    CenterReport,
    Recommendation,
    form=RecommendationForm,
    formset=ParentAwareInlineFormSet,
    extra=1,
    can_delete=True,
)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the author"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
        help_text=_("Required when you return the report: say what should change."),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES})
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    keep_location = forms.BooleanField(
        label=_("Keep the location where the photo was taken"),
        required=False,
        help_text=_("Unless you tick this, the GPS position stored in the photo is removed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("JPEG, PNG or WebP, at most %(limit)s.") % {
            "limit": filesizeformat(max_upload_bytes())
        }


class FollowUpForm(forms.Form):
    date = BEDateField(label=_("Date"), allow_future=False, min_year_be=PLAUSIBLE_MIN_YEAR_BE)
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs=TEXTAREA_SMALL))
    status = forms.ChoiceField(
        label=_("Status of the recommendation now"), choices=RecommendationStatus.choices
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_EVIDENCE}),
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("A PDF document or a photo, at most %(limit)s.") % {
            "limit": filesizeformat(max_upload_bytes())
        }
        if recommendation.status in OPEN_STATUSES:
            self.fields["status"].initial = RecommendationStatus.IN_PROGRESS
        else:
            self.fields["status"].initial = recommendation.status


# --- the news post ---------------------------------------------------------------------------------------


class PhotoChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.report.center.name}: {obj.caption}" if obj.caption else obj.report.center.name


class NewsPublishForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the post"),
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": _("Write the text of the post before publishing it.")},
    )
    photos = PhotoChoiceField(
        queryset=ReportPhoto.objects.none(),
        required=False,
        label=_("Photos that go with the post"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose the photos among those of the trip's submitted reports.")
        },
    )

    def __init__(self, *args: Any, photos: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].queryset = photos
