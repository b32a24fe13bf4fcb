"""Admin pages of the visits app, scoped like every other admin page (core.admin.ScopedAdmin).

Review steps are not admin edits: the status and the review fields are read-only here and change only
through visits.services (the report pages).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReferenceAdmin, ScopedAdmin, ScopedStackedInline, ScopedTabularInline

from . import services
from .access import can_record_trip, can_record_trip_as, trip_level_choices, trip_province_choices
from .forms import TRIP_FIELDS, TripMemberInlineFormSet
from .models import (
    CenterReport,
    FollowUp,
    ItineraryStop,
    NewsVersion,
    Recommendation,
    RegistryKind,
    ReportPhoto,
    Trip,
    TripMember,
)


class TripMemberInline(ScopedTabularInline):
    model = TripMember
    formset = TripMemberInlineFormSet  # one leader at most, as on the trip page
    extra = 0
    # A select of the staff the user may put in a team (core.scoping.choices_for): the user admin's
    # autocomplete is for administrators only.


class NewsVersionInline(ScopedTabularInline):
    """The published versions of the news post, read only: a version is never changed (visits.services)."""

    model = NewsVersion
    fields = ["number", "published_at", "published_by", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ItineraryStopInline(ScopedTabularInline):
    model = ItineraryStop
    extra = 0


class TripAdminForm(forms.ModelForm):
    """The level menu and the check of the trip pages (visits.access, core.scoping.may_record_trip)."""

    user = None  # set by TripAdmin.get_form

    class Meta:
        model = Trip
        fields = TRIP_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].choices = trip_level_choices(self.user, self.instance)
        if "province" in self.fields:  # the provinces of the trips the user may record (ScopedChoicesMixin
            # offers those holding a district they edit: none for provincial and department staff)
            self.fields["province"].queryset = trip_province_choices(self.user)

    def clean(self):
        cleaned = super().clean()
        changed = {"level", "province", "district"} & set(self.changed_data)
        province, district = cleaned.get("province"), cleaned.get("district")
        trip = Trip(
            level=cleaned.get("level", self.instance.level),
            province_id=province.pk if province else None,
            district_id=district.pk if district else None,
        )
        if (self.instance.pk is None or changed) and not can_record_trip_as(self.user, trip):
            raise forms.ValidationError(
                _(
                    "You cannot record a trip of this level in this area: each office records trips of "
                    "its own level in its own area."
                )
            )
        return cleaned


@admin.register(Trip)
class TripAdmin(ScopedAdmin):
    form = TripAdminForm
    list_display = ["title", "level", "start_date", "end_date", "province", "district"]
    list_filter = ["level"]
    list_select_related = ["province", "district"]
    search_fields = ["title", "purpose"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_by", "created_at"]
    inlines = [TripMemberInline, ItineraryStopInline, NewsVersionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_add_permission(self, request) -> bool:
        return request.user.is_staff and can_record_trip(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        if not (request.user.is_staff and request.user.is_active):
            return False
        if obj is None:
            return can_record_trip(request.user) or Trip.objects.editable_by(request.user).exists()
        return Trip.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """The team through the service's rule of one leader (a leader swapped in the inline would
        otherwise save the new leader while the former one still leads)."""
        if formset.model is not TripMember:
            return super().save_formset(request, form, formset, change)
        members = formset.save(commit=False)  # deletes the rows marked for deletion
        services.trip_members_save(trip=form.instance, members=members)  # in the admin's transaction
        formset.save_m2m()
        return None


class RecommendationInline(ScopedStackedInline):
    model = Recommendation
    extra = 0
    fields = ["text", "addressed_to", "due_date", "status"]


class ReportPhotoInline(ScopedTabularInline):
    model = ReportPhoto
    extra = 0
    fields = ["caption", "content_type", "width", "height", "size", "keep_location", "uploaded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CenterReport)
class CenterReportAdmin(ScopedAdmin):
    list_display = ["center", "visit_date", "trip", "status", "author"]
    list_filter = ["status"]
    list_select_related = ["center", "trip", "author"]
    search_fields = ["center__name", "trip__title"]
    date_hierarchy = "visit_date"
    readonly_fields = [
        "status",
        "author",
        "created_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "snapshot_taken_at",
        "snapshot_frozen",
        "snapshot_households_enrolled",
        "snapshot_households_debt_reduced",
        "snapshot_households_debt_free",
        "snapshot_debt_reduced",
        "snapshot_savings",
    ]
    filter_horizontal = ["registries_kept"]
    inlines = [RecommendationInline, ReportPhotoInline]

    def get_readonly_fields(self, request, obj=None):
        # A report stays on its trip and center (the pages never move it either); its author may report on
        # a trip they cannot edit (a provincial trip), which is no choice of theirs here.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "trip", "center"] if obj is not None else fields


class FollowUpInline(ScopedTabularInline):
    model = FollowUp
    extra = 0
    fields = ["date", "note", "status", "evidence_name", "author"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ScopedAdmin):
    list_display = ["__str__", "addressed_to", "due_date", "status", "report"]
    list_filter = ["status", "addressed_to"]
    list_select_related = ["report__center"]
    search_fields = ["text", "report__center__name"]
    readonly_fields = ["report"]
    inlines = [FollowUpInline]


@admin.register(RegistryKind)
class RegistryKindAdmin(ReferenceAdmin):
    list_display = ["name_th", "name_en", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
