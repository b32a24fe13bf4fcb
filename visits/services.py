"""Every write of the visits app. Views and forms validate input and build objects; these functions check
who may write, enforce the rules that span rows, and save, each in one transaction.

They raise `PermissionDenied` when the user may not act at all (the view answers 403; rows the user
cannot see answer 404 before reaching here), and `ValidationError` with a message for the user when the
action is refused in the current state (a locked report, a missing comment, a date outside the trip).
Those that save several rows of one center refresh the dashboards' figures once, at the end (`events.batch`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.scoping import OfficeLevel
from core.thai import format_date_be_numeric
from core.tokens import recorded_with

from . import images, notify, selectors, snapshot
from .access import (
    can_change_report,
    can_edit_report_content,
    can_edit_trip,
    can_follow_up,
    can_record_trip,
    can_record_trip_as,
    can_review_report,
    report_center_choices,
    trip_level_choices,
)
from .models import (
    EDITABLE_STATUSES,
    CenterReport,
    FollowUp,
    ItineraryStop,
    NewsVersion,
    Recommendation,
    RecommendationStatus,
    RegistryKind,
    ReportPhoto,
    ReportStatus,
    Trip,
    TripMember,
)

MAX_PHOTOS_PER_REPORT = 20

# History change reasons of the review steps (shown translated by visits.templatetags.visits_tags).
REASON_CREATED = "created"
REASON_EDITED = "edited"
REASON_SUBMITTED = "submitted"
REASON_ACCEPTED = "accepted"
REASON_RETURNED = "returned"


def save_step(report: CenterReport, reason: str) -> None:
    """Save the report with `reason` as the change reason of its history record (one record per step:
    the reason is not carried over to the records that later many-to-many changes add)."""
    report._change_reason = reason
    try:
        report.save()
    finally:
        del report._change_reason


def locked_message(report: CenterReport) -> str:
    return _(
        "This report is %(status)s and can no longer be changed. "
        "It can be changed again only if the reviewer returns it."
    ) % {"status": report.get_status_display().lower()}


# --- trips -----------------------------------------------------------------------------------------------


def _check_trip_level_and_area(user: Any, trip: Trip) -> None:
    """Each office records trips of its own level in its own area (core.scoping.may_record_trip). A trip
    whose level and area stay as they were may be kept by those who may edit it (its recorder)."""
    if can_record_trip_as(user, trip):
        return
    if trip.pk is not None:
        stored = Trip.objects.filter(pk=trip.pk).values("level", "province_id", "district_id").first()
        if stored == {"level": trip.level, "province_id": trip.province_id, "district_id": trip.district_id}:
            return
    if trip.level not in dict(trip_level_choices(user)):
        raise ValidationError(
            {"level": _("You cannot record a trip of this level: choose one from the list.")}
        )
    if user.office_level == OfficeLevel.PROVINCE:
        raise ValidationError({"province": _("You can record trips only in the province of your office.")})
    raise ValidationError({"district": _("You can record trips only in the district of your office.")})


@transaction.atomic
def trip_save(
    *,
    user: Any,
    trip: Trip,
    members: Sequence[TripMember] = (),
    stops: Sequence[ItineraryStop] = (),
    removed: Iterable[models.Model] = (),
) -> Trip:
    """Create or update a trip with its team and itinerary (new or changed rows, and rows to remove)."""
    if trip.pk is None:
        if not can_record_trip(user):
            raise PermissionDenied
        trip.created_by = user
    elif not can_edit_trip(user, trip):
        raise PermissionDenied
    _check_trip_level_and_area(user, trip)
    trip.full_clean()
    trip.save()
    for obj in removed:
        if getattr(obj, "trip_id", None) != trip.pk:
            raise PermissionDenied
        obj.delete()
    trip_members_save(trip=trip, members=members)
    for stop in stops:
        stop.trip = trip
        stop.full_clean()
        stop.save()
    _check_trip_still_holds(trip)
    return trip


def trip_members_save(*, trip: Trip, members: Sequence[TripMember]) -> None:
    """Save new or changed members of a saved trip (the trip page and the admin's team inline both come
    here). One leader per trip: when a member is made leader the former one steps down first; a team with
    no leader ticked is led by its first member."""
    new_leaders = [member for member in members if member.is_leader]
    if new_leaders:
        for former in trip.members.filter(is_leader=True).exclude(pk__in=[m.pk for m in new_leaders if m.pk]):
            former.is_leader = False
            former.save(update_fields=["is_leader"])
    for member in members:
        member.trip = trip
        member.full_clean()
        member.save()
    _keep_a_leader(trip)


def _keep_a_leader(trip: Trip) -> None:
    """A team always has its leader: the member ticked, else the first member."""
    team = list(trip.members.order_by("sort_order", "pk"))
    if team and Trip.leader_of(team) is None:
        team[0].is_leader = True
        team[0].save(update_fields=["is_leader"])


def _check_trip_still_holds(trip: Trip) -> None:
    """Stops and reports already recorded must stay inside the trip's dates and province."""
    errors = []
    for stop in trip.stops.exclude(date__range=(trip.start_date, trip.end_date)):
        errors.append(
            _("The itinerary stop “%(stop)s” is on %(date)s, outside the new dates.")
            % {
                "stop": stop.description,
                "date": format_date_be_numeric(stop.date),
            }
        )
    reports = trip.reports.select_related("center")
    for report in reports.exclude(visit_date__range=(trip.start_date, trip.end_date)):
        errors.append(
            _("The report on %(center)s is dated %(date)s, outside the new dates.")
            % {
                "center": report.center,
                "date": format_date_be_numeric(report.visit_date),
            }
        )
    for report in reports.exclude(center__village__subdistrict__district__province=trip.province_id):
        errors.append(_("The report on %(center)s is outside the new province.") % {"center": report.center})
    if errors:
        raise ValidationError(errors)


# --- reports ---------------------------------------------------------------------------------------------


def _take_snapshot(report: CenterReport) -> None:
    figures = snapshot.snapshot_for(report.center, report.visit_date)
    for name, value in figures.as_report_fields().items():
        setattr(report, name, value)
    report.snapshot_taken_at = timezone.now()


def _save_recommendations(
    report: CenterReport, recommendations: Sequence[Recommendation], removed: Iterable[Recommendation]
) -> None:
    for recommendation in removed:
        if recommendation.report_id != report.pk:
            raise PermissionDenied
        recommendation.delete()
    for index, recommendation in enumerate(recommendations):
        recommendation.report = report
        if recommendation.pk is None:
            recommendation.sort_order = report.recommendations.count() + index
        recommendation.full_clean()
        recommendation.save()


@transaction.atomic
@events.batch()
def report_create(
    *,
    user: Any,
    report: CenterReport,
    token: uuid.UUID | None = None,
    registries: Iterable[RegistryKind] = (),
    recommendations: Sequence[Recommendation] = (),
) -> CenterReport:
    """Write a draft report on a center visited on a trip; the center's figures are taken as of the visit.

    The same `token` twice (the form's: a double tap, the offline queue sending again) records one report
    and returns it, whatever has changed since. The trip's row is locked first, so that two sends at the
    same moment wait for each other: the second finds the first's token, or its report on the center."""
    if not Trip.objects.visible_to(user).filter(pk=report.trip_id).exists():
        raise PermissionDenied
    Trip.objects.select_for_update().values_list("pk", flat=True).get(pk=report.trip_id)
    if token is not None:
        # the report this token already recorded; refused if it was a report on another center or trip
        existing = recorded_with(
            CenterReport,
            token,
            target={"trip_id": report.trip_id, "center_id": report.center_id},
            refusal=_("This form was already used for a report on another center. Open the form again."),
        )
        if existing is not None:
            return existing
        report.token = token
    report.author = user
    report.status = ReportStatus.DRAFT
    report.full_clean()
    if not report_center_choices(user, report.trip).filter(pk=report.center_id).exists():
        raise ValidationError({"center": _("You cannot write a report on this center for this trip.")})
    _take_snapshot(report)
    save_step(report, REASON_CREATED)
    report.registries_kept.set(registries)
    _save_recommendations(report, recommendations, ())
    return report


def _locked_for_update(report: CenterReport) -> CenterReport:
    """The report's current row, locked until the end of the transaction (two tabs, two reviewers)."""
    return CenterReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
@events.batch()
def report_update(
    *,
    user: Any,
    report: CenterReport,
    registries: Iterable[RegistryKind] = (),
    recommendations: Sequence[Recommendation] = (),
    removed: Iterable[Recommendation] = (),
) -> CenterReport:
    """Save the changes to a draft or returned report."""
    current = _locked_for_update(report)
    if not can_edit_report_content(user, current):
        raise PermissionDenied
    if current.status not in EDITABLE_STATUSES:
        raise ValidationError(locked_message(current))
    report.status = current.status
    report.full_clean()
    save_step(report, REASON_EDITED)
    report.registries_kept.set(registries)
    _save_recommendations(report, recommendations, removed)
    return report


@transaction.atomic
def report_submit(*, user: Any, report: CenterReport) -> CenterReport:
    """Send a draft (or a returned report) to the province for review; it is locked until returned."""
    report = _locked_for_update(report)
    if not can_edit_report_content(user, report):
        raise PermissionDenied
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned report can be submitted; this one is %(status)s.")
            % {"status": report.get_status_display().lower()}
        )
    if not any(text.strip() for _topic, text in report.findings) and not report.strengths.strip():
        raise ValidationError(_("Write at least one finding or strength before submitting the report."))
    if not report.snapshot_frozen:
        _take_snapshot(report)
        report.snapshot_frozen = True
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    save_step(report, REASON_SUBMITTED)
    notify.report_reviewed(report)
    return report


def _check_reviewable(user: Any, report: CenterReport) -> None:
    if not can_review_report(user, report):
        raise PermissionDenied
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a report submitted for review can be accepted or returned; this one is %(status)s.")
            % {"status": report.get_status_display().lower()}
        )


@transaction.atomic
def report_accept(*, user: Any, report: CenterReport, comment: str = "") -> CenterReport:
    """Provincial staff (or an administrator) accept a submitted report."""
    report = _locked_for_update(report)
    _check_reviewable(user, report)
    report.status = ReportStatus.ACCEPTED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment.strip()
    save_step(report, REASON_ACCEPTED)
    notify.report_reviewed(report)
    return report


@transaction.atomic
def report_return(*, user: Any, report: CenterReport, comment: str) -> CenterReport:
    """Provincial staff (or an administrator) send a submitted report back to its author with a comment."""
    report = _locked_for_update(report)
    _check_reviewable(user, report)
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Write what the author should change before returning the report.")}
        )
    report.status = ReportStatus.RETURNED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment.strip()
    save_step(report, REASON_RETURNED)
    notify.report_reviewed(report)
    return report


# --- photos ----------------------------------------------------------------------------------------------


def _check_can_change(user: Any, report: CenterReport) -> None:
    if not can_edit_report_content(user, report):
        raise PermissionDenied
    if not can_change_report(user, report):
        raise ValidationError(locked_message(report))


def _delete_files_on_commit(*files: Any) -> None:
    names = [(file.storage, file.name) for file in files if file]

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def photo_add(
    *, user: Any, report: CenterReport, upload: Any, caption: str = "", keep_location: bool = False
) -> ReportPhoto:
    """Attach a checked photo to a report that its author may still change."""
    report = _locked_for_update(report)
    _check_can_change(user, report)
    if report.photos.count() >= MAX_PHOTOS_PER_REPORT:
        raise ValidationError(
            _("A report has at most %(count)s photos. Remove one before adding another.")
            % {"count": MAX_PHOTOS_PER_REPORT}
        )
    processed = images.process_photo(upload, keep_location=keep_location)
    photo = ReportPhoto(
        report=report,
        caption=caption.strip(),
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size=processed.image.size,
        keep_location=keep_location,
        latitude=processed.latitude,
        longitude=processed.longitude,
        uploaded_by=user,
    )
    photo.image.save(processed.image.name, processed.image, save=False)
    photo.display.save(processed.display.name, processed.display, save=False)
    try:
        photo.full_clean()
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        photo.display.delete(save=False)
        raise
    return photo


@transaction.atomic
def photo_delete(*, user: Any, photo: ReportPhoto) -> None:
    report = _locked_for_update(photo.report)
    _check_can_change(user, report)
    _delete_files_on_commit(photo.image, photo.display)
    photo.delete()


# --- recommendations -------------------------------------------------------------------------------------


@transaction.atomic
@events.batch()
def follow_up_add(
    *,
    user: Any,
    recommendation: Recommendation,
    noted_on: date,
    note: str,
    status: str,
    evidence: Any = None,
) -> FollowUp:
    """Record what happened to a recommendation; its status becomes the status given with the note."""
    recommendation = (
        Recommendation.objects.select_for_update().select_related("report").get(pk=recommendation.pk)
    )
    if not can_follow_up(user, recommendation):
        raise PermissionDenied
    if noted_on < recommendation.report.visit_date:
        raise ValidationError(
            {"date": _("A follow-up cannot be dated before the visit that made the recommendation.")}
        )
    if noted_on > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    follow_up = FollowUp(
        recommendation=recommendation, date=noted_on, note=note.strip(), status=status, author=user
    )
    if evidence:
        content, _content_type = images.process_evidence(evidence)
        follow_up.evidence_name = evidence.name[:200]
        follow_up.evidence.save(content.name, content, save=False)
    try:
        follow_up.full_clean()
        follow_up.save()
    except Exception:
        if follow_up.evidence:
            follow_up.evidence.delete(save=False)
        raise
    recommendation.status = status
    recommendation.save(update_fields=["status", "updated_at"])
    return follow_up


# --- the news post ---------------------------------------------------------------------------------------


@transaction.atomic
def news_publish(*, user: Any, trip: Trip, text: str, photos: Iterable[ReportPhoto] = ()) -> NewsVersion:
    """Publish the post's text with the chosen photos as the trip's next version (a version is never
    changed); the same text and photos as the latest version publish nothing new and return it."""
    if not can_edit_trip(user, trip):
        raise PermissionDenied
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise ValidationError({"text": _("Write the text of the post before publishing it.")})
    photos = list(photos)
    allowed = set(selectors.news_photos(trip).values_list("pk", flat=True))
    if any(photo.pk not in allowed for photo in photos):
        raise ValidationError({"photos": _("Choose the photos among those of the trip's submitted reports.")})
    latest = trip.news_versions.order_by("-number").first()
    chosen = {photo.pk for photo in photos}
    if (
        latest is not None
        and latest.text == text
        and set(latest.photos.values_list("pk", flat=True)) == chosen
    ):
        return latest
    version = NewsVersion(trip=trip, number=latest.number + 1 if latest else 1, text=text, published_by=user)
    version.full_clean()
    version.save()
    version.photos.set(photos)
    return version
