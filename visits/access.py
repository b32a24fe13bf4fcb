"""Who may do what with visits, in one place. Row visibility itself lives in the model querysets; the rules
that follow a trip's level (who records it, who reviews its reports) live in core.scoping.

- Record a trip: each office a trip of its own level (district officers district trips of their district,
  provincial staff provincial trips of their province, department staff department trips), administrators
  any (core.scoping.may_record_trip). Edit a trip: those who could record it, whoever recorded it,
  administrators.
- Write a report on a trip: whoever may edit the trip (for any center of its province they can see), and
  district officers for the centers of their own district.
- Change a report: its district's officers and its author, only while it is a draft or was returned.
- Submit it: the same people. Accept or return it, by the trip's level (core.scoping.may_review_trip_report):
  a district trip's reports by provincial staff of its province, a provincial trip's by the province's head
  or a department reviewer, a department trip's by a department reviewer; never by their author; admins.
- Add a follow-up note to a recommendation of a submitted or accepted report: the report's editors and
  provincial staff of its province.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from centers.models import Center
from core.scoping import (
    OfficeLevel,
    can_edit_in,
    may_record_trip,
    may_review_trip_report,
    trip_levels_for,
)
from geography.models import Province

from .models import CenterReport, Recommendation, Trip, TripLevel


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_record_trip(user: Any) -> bool:
    """Whether the user may record a trip of some level."""
    return bool(trip_levels_for(user))


def trip_level_choices(user: Any, trip: Trip | None = None) -> list[tuple[str, str]]:
    """The level menu of the trip form and admin: the levels the user may record, and the trip's own level
    when it is kept as it is (an administrator's or a former office's trip, editable by its recorder)."""
    allowed = set(trip_levels_for(user))
    if trip is not None and trip.pk:
        allowed.add(trip.level)
    return [(value, label) for value, label in TripLevel.choices if value in allowed]


def trip_province_choices(user: Any) -> QuerySet[Province]:
    """The provinces the user may record a trip in: their office's (a district officer's is the province of
    their district), every province for department staff and administrators."""
    levels = trip_levels_for(user)
    if not levels:
        return Province.objects.none()
    if user.is_superuser or levels == (OfficeLevel.DEPARTMENT,):
        return Province.objects.all()
    return Province.objects.filter(code=user.office_province_id)


def can_record_trip_as(user: Any, trip: Trip) -> bool:
    """Whether the user may record `trip` with its level and area as they are now (not yet saved)."""
    return may_record_trip(user, level=trip.level, province_id=trip.province_id, district_id=trip.district_id)


def can_edit_trip(user: Any, trip: Trip) -> bool:
    return Trip.objects.editable_by(user).filter(pk=trip.pk).exists()


def report_center_choices(user: Any, trip: Trip, *, trip_editor: bool | None = None) -> QuerySet[Center]:
    """The centers of the trip's province that the user may write a report on for this trip.

    `trip_editor`: what can_edit_trip(user, trip) answers, when the caller knows it already.
    """
    if trip_editor is None:
        trip_editor = can_edit_trip(user, trip)
    centers = Center.objects.visible_to(user) if trip_editor else Center.objects.editable_by(user)
    return centers.filter(village__subdistrict__district__province=trip.province_id).with_area()


def report_centers_left(user: Any, trip: Trip, *, trip_editor: bool | None = None) -> QuerySet[Center]:
    """The centers the user may still write a report on for this trip (those without one yet)."""
    return report_center_choices(user, trip, trip_editor=trip_editor).exclude(visit_reports__trip=trip)


def can_add_report(user: Any, trip: Trip, *, trip_editor: bool | None = None) -> bool:
    return report_centers_left(user, trip, trip_editor=trip_editor).exists()


def can_edit_report_content(user: Any, report: CenterReport) -> bool:
    """Whether the user is one of the report's editors (whatever its status)."""
    return CenterReport.objects.editable_by(user).filter(pk=report.pk).exists()


def can_change_report(user: Any, report: CenterReport) -> bool:
    """Whether the user may change the report now: an editor, and the report is a draft or was returned."""
    return report.is_editable_state and can_edit_report_content(user, report)


def can_review_report(user: Any, report: CenterReport) -> bool:
    return CenterReport.objects.reviewable_by(user).filter(pk=report.pk).exists()


def _loaded_district(report: CenterReport) -> Any:
    """The District of the report's center when it came with the report (`with_related()`), else None."""
    obj = report
    for name in ("center", "village", "subdistrict", "district"):
        if not obj._meta.get_field(name).is_cached(obj):
            return None
        obj = getattr(obj, name)
    return obj


def can_edit_loaded_report(user: Any, report: CenterReport) -> bool:
    """can_edit_report_content for a report just read with its center's area (`with_related()`), unchanged
    since: the same rule (CenterReportQuerySet.editable_by), without a query."""
    district = _loaded_district(report)
    if district is None:
        return can_edit_report_content(user, report)
    if not _active(user):
        return False
    return can_edit_in(user, district.code) or report.author_id == user.pk


def can_review_loaded_report(user: Any, report: CenterReport) -> bool:
    """can_review_report for a report just read with its center's area, unchanged since: the same rule
    (CenterReportQuerySet.reviewable_by), without a query."""
    district = _loaded_district(report)
    if district is None:
        return can_review_report(user, report)
    if not _active(user):
        return False
    trip_field = report._meta.get_field("trip")
    if not trip_field.is_cached(report):
        return can_review_report(user, report)
    if not user.is_superuser and report.author_id == user.pk:
        return False
    return may_review_trip_report(user, level=report.trip.level, province_id=district.province_id)


def can_follow_up(user: Any, recommendation: Recommendation) -> bool:
    return Recommendation.objects.can_follow_up(user).filter(pk=recommendation.pk).exists()
