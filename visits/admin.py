"""Admin pages of the visits app, scoped like every other admin page (core.admin.ScopedAdmin).

Review steps are not admin edits: the status and the review fields are read-only here and change only
through visits.services (the report pages).
"""

from django.contrib import admin

from core.admin import ReferenceAdmin, ScopedAdmin, ScopedStackedInline, ScopedTabularInline

from .models import (
    CenterReport,
    FollowUp,
    ItineraryStop,
    Recommendation,
    RegistryKind,
    ReportPhoto,
    Trip,
    TripMember,
)


class TripMemberInline(ScopedTabularInline):
    model = TripMember
    extra = 0
    # A select of the staff the user may put in a team (core.scoping.choices_for): the user admin's
    # autocomplete is for administrators only.


class ItineraryStopInline(ScopedTabularInline):
    model = ItineraryStop
    extra = 0


@admin.register(Trip)
class TripAdmin(ScopedAdmin):
    list_display = ["title", "level", "start_date", "end_date", "province", "district"]
    list_filter = ["level"]
    list_select_related = ["province", "district"]
    search_fields = ["title", "purpose"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_by", "created_at"]
    inlines = [TripMemberInline, ItineraryStopInline]


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
