"""Reads of the visits pages, each scoped to the user and with its related rows fetched in bounded queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Center
from core.scoping import OfficeLevel

from .models import (
    SHARED_STATUSES,
    CenterReport,
    NewsVersion,
    Recommendation,
    RegistryKind,
    ReportPhoto,
    ReportStatus,
    Trip,
    TripLevel,
    TripMember,
)


def trips_for(user: Any) -> QuerySet[Trip]:
    # The reports counted in a subquery, not joined and grouped: the paginator's count then reads the trips
    # alone, and the page counts the reports of its own 50 trips only.
    reports = CenterReport.objects.filter(trip=OuterRef("pk")).order_by().values("trip")
    report_count = Coalesce(Subquery(reports.annotate(count=Count("pk")).values("count")), 0)
    return (
        Trip.objects.visible_to(user)
        .with_area()
        .annotate(report_count=report_count)
        .order_by("-start_date", "-pk")
    )


def trip_detail(user: Any, trip: Trip) -> dict[str, Any]:
    members = trip.members.select_related("user")
    stops = trip.stops.select_related("center__village__subdistrict__district__province")
    reports = (
        CenterReport.objects.visible_to(user)
        .filter(trip=trip)
        .with_related()
        .annotate(recommendation_count=Count("recommendations"))
        .order_by("visit_date", "pk")
    )
    return {
        "members": list(members),
        "stops": list(stops),
        "reports": list(reports),
    }


def reported_centers(trip: Trip) -> set[int]:
    """The centers that have a report on the trip, whoever can see it."""
    return set(trip.reports.values_list("center_id", flat=True))


def reports_for(user: Any) -> QuerySet[CenterReport]:
    """The reports the user can see, the latest visit first (the list filters them: visits/filters.py)."""
    return CenterReport.objects.visible_to(user).with_related().order_by("-visit_date", "-pk")


def report_awaiting_review_count(user: Any) -> int:
    return CenterReport.objects.reviewable_by(user).filter(status=ReportStatus.SUBMITTED).count()


def report_detail(report: CenterReport) -> dict[str, Any]:
    recommendations = report.recommendations.annotate(follow_up_count=Count("follow_ups"))
    history = report.history.exclude(history_change_reason=None).exclude(history_change_reason="")
    # only what the page shows of each step (its date, reason and person): fewer columns to build and read
    steps = list(
        history.select_related("history_user")
        .only(
            "history_date",
            "history_change_reason",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
        .order_by("history_date")
    )
    return {
        "recommendations": list(recommendations),
        "photos": list(report.photos.all()),
        "registry_kinds": registry_checklist(report),
        "steps": steps,
    }


def registry_checklist(report: CenterReport) -> list[tuple[RegistryKind, bool]]:
    """Every registry a center should keep (and any no longer required that it keeps), ticked or not."""
    through = CenterReport.registries_kept.through
    kept = through.objects.filter(centerreport=report, registrykind=OuterRef("pk"))
    kinds = RegistryKind.objects.annotate(kept=Exists(kept)).filter(Q(active=True) | Q(kept=True))
    return [(kind, kind.kept) for kind in kinds.order_by("sort_order", "code")]


def recommendations_for(user: Any) -> QuerySet[Recommendation]:
    """Open recommendations of submitted or accepted reports the user can see, the most urgent first (the
    list filters the overdue ones: visits/filters.py)."""
    recommendations = Recommendation.objects.visible_to(user).published().still_open()
    return recommendations.with_related().order_by(F("due_date").asc(nulls_last=True), "pk")


def open_recommendations_for_center(center: Center) -> QuerySet[Recommendation]:
    """The open recommendations of a center (from submitted or accepted reports), the most urgent first.

    For the center page: whoever sees the center sees the reports on it (both follow the center's district).
    """
    return (
        Recommendation.objects.filter(report__center=center)
        .published()
        .still_open()
        .select_related("report__trip")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def recommendation_counts(user: Any) -> dict[str, int]:
    """Open and overdue recommendations the user can see, for dashboards."""
    today = timezone.localdate()
    counts = (
        Recommendation.objects.visible_to(user)
        .published()
        .still_open()
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    return {"open": counts["open"], "overdue": counts["overdue"]}


CENTER_PAGE_REPORTS = 5


def center_page_section(center: Center, user: Any) -> dict[str, Any]:
    """The latest visit reports and the open recommendations on the center page (see core.sections)."""
    return {
        "template": "visits/includes/center_recommendations.html",
        "reports": list(reports_for(user).filter(center=center)[:CENTER_PAGE_REPORTS]),
        "recommendations": list(open_recommendations_for_center(center)),
    }


# --- the printed report: an official memo (บันทึกข้อความ) -------------------------------------------------


def _member_office(member: TripMember) -> str:
    """The office a member works in: as typed, else their account's office."""
    if member.office:
        return member.office
    user = member.user if member.user_id else None
    if user is None:
        return ""
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return _("District community development office %(district)s") % {"district": user.district.name}
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        return _("Provincial community development office %(province)s") % {"province": user.province.name}
    return _("Community Development Department")


def _trip_office(trip: Trip) -> str:
    if trip.level == TripLevel.DISTRICT and trip.district_id:
        return _("District community development office %(district)s") % {"district": trip.district.name}
    if trip.level == TripLevel.PROVINCE:
        return _("Provincial community development office %(province)s") % {"province": trip.province.name}
    return _("Community Development Department")


def _addressee(trip: Trip) -> str:
    """Whom the memo is to: who ordered the trip, else the head of the office one level up."""
    if trip.ordered_by.strip():
        return trip.ordered_by.strip()
    if trip.level == TripLevel.DISTRICT:
        province = trip.province.name
        return _("Provincial community development officer of %(province)s") % {"province": province}
    return _("Director-General of the Community Development Department")


def report_memo(report: CenterReport) -> dict[str, Any]:
    """The memo heading, team, itinerary and signatory of a report's print: the same whoever prints it.

    The trip's leader signs (the member ticked as leading the team)."""
    trip = report.trip
    members = list(trip.members.select_related("user__district", "user__province"))
    leader = Trip.leader_of(members)
    stops = list(trip.stops.select_related("center"))
    issued = timezone.localtime(report.submitted_at).date() if report.submitted_at else timezone.localdate()
    return {
        "memo_office": (_member_office(leader) if leader else "") or _trip_office(trip),
        "memo_date": issued,
        "memo_subject": _("Report of the monitoring visit to %(center)s") % {"center": report.center},
        "memo_to": _addressee(trip),
        "memo_members": [(member, _member_office(member)) for member in members],
        "memo_stops": stops,
        "memo_leader": leader,
    }


# --- the news post ---------------------------------------------------------------------------------------


def news_photos(trip: Trip) -> QuerySet[ReportPhoto]:
    """The photos that may go with the trip's news post: those of its submitted or accepted reports (the
    reports the post is written from), in the order of the visits."""
    return (
        ReportPhoto.objects.filter(report__trip=trip, report__status__in=SHARED_STATUSES)
        .select_related("report__center")
        .order_by("report__visit_date", "report_id", "uploaded_at", "pk")
    )


def news_versions(trip: Trip) -> list[NewsVersion]:
    """The published versions of the trip's post, the latest first, with who published them."""
    return list(
        trip.news_versions.select_related("published_by")
        .prefetch_related("photos__report__center")
        .order_by("-number")
    )
