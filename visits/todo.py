"""The to-do items from visits (see core.todo).

- District officers: their reports returned with the reviewer's comment, and the open recommendations of
  their reports that are overdue or fall due within two weeks.
- Provincial staff, by district, and department staff, by province: reports waiting for their review,
  active centers not visited this fiscal year, overdue recommendations.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from core.todo import (
    TodoItem,
    area_counts,
    fiscal_year_start,
    is_district_officer,
    overseer_area,
    todo_section,
)

from .models import CenterReport, Recommendation, ReportStatus
from .models.common import CENTER_DISTRICT

RETURNED_SHOWN = 10  # returned reports listed one by one; the section's link lists them all
DUE_SOON_DAYS = 14


def returned_reports(user: Any) -> tuple[list[CenterReport], int]:
    """The reports the user may change that came back from review (the latest first, at most
    RETURNED_SHOWN), with how many there are; two queries."""
    reports = CenterReport.objects.editable_by(user).filter(status=ReportStatus.RETURNED)
    shown = list(reports.select_related("center").order_by("-reviewed_at", "-pk")[:RETURNED_SHOWN])
    return shown, (len(shown) if len(shown) < RETURNED_SHOWN else reports.count())


def recommendations_due(user: Any, today: date) -> dict[str, int]:
    """How many open recommendations of the user's reports are overdue, and how many fall due within
    DUE_SOON_DAYS days; one query."""
    return (
        Recommendation.objects.editable_by(user)
        .published()
        .still_open()
        .aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count(
                "pk", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(DUE_SOON_DAYS))
            ),
        )
    )


def centers_not_visited(user: Any, today: date):
    """The active centers the user can see without a visit report dated this fiscal year (any status: the
    visit took place)."""
    visited = CenterReport.objects.filter(
        center=OuterRef("pk"), visit_date__gte=fiscal_year_start(today), visit_date__lte=today
    )
    return Center.objects.visible_to(user).filter(status=Center.Status.ACTIVE).exclude(Exists(visited))


def home_officer_visits_todo(obj: None, user: Any) -> list[dict[str, Any] | None] | None:
    if not is_district_officer(user):
        return None
    today = timezone.localdate()
    shown, returned = returned_reports(user)
    items = [
        TodoItem(
            report.center.name,
            1,
            reverse("visits:report_detail", args=[report.pk]),
            note=report.review_comment,
            day=report.visit_date,
        )
        for report in shown
    ]
    if returned > len(shown):
        more = _("All returned reports")
        items.append(TodoItem(str(more), returned - len(shown), _report_list_url(ReportStatus.RETURNED)))
    due = recommendations_due(user, today)
    recommendations = reverse("visits:recommendation_list")
    return [
        todo_section(key="returned-reports", title=_("Reports returned to you"), items=items, position=30),
        todo_section(
            key="recommendations-due",
            title=_("Recommendations due or overdue"),
            items=[
                TodoItem(str(_("Overdue")), due["overdue"], f"{recommendations}?overdue=on"),
                TodoItem(str(_("Due within two weeks")), due["due_soon"], recommendations),
            ],
            position=40,
        ),
    ]


def _report_list_url(status: str) -> str:
    return reverse("visits:report_list") + f"?status={status}"


def home_overseer_visits_todo(obj: None, user: Any) -> list[dict[str, Any] | None] | None:
    """Provincial staff's items by district, department staff's by province; three queries."""
    area = overseer_area(user)
    if area is None:
        return None
    today = timezone.localdate()
    waiting = CenterReport.objects.reviewable_by(user).filter(status=ReportStatus.SUBMITTED)
    overdue = Recommendation.objects.visible_to(user).published().overdue(today)
    unvisited = centers_not_visited(user, today)
    centers = reverse("centers:center_list")
    recommendations = reverse("visits:recommendation_list") + "?overdue=on"
    reviews = _report_list_url(ReportStatus.SUBMITTED)
    return [
        todo_section(
            key="reviews-waiting",
            title=_("Reports waiting for your review"),
            items=[
                TodoItem(name, count, reviews)
                for _code, name, count in area_counts(waiting, district_path=CENTER_DISTRICT, area=area)
            ],
            position=10,
        ),
        todo_section(
            key="not-visited",
            title=_("Centers not visited this fiscal year"),
            items=[
                TodoItem(name, count, f"{centers}?{area}={code}")
                for code, name, count in area_counts(
                    unvisited, district_path=unvisited.district_path, area=area
                )
            ],
            position=20,
        ),
        todo_section(
            key="overdue-recommendations",
            title=_("Overdue recommendations"),
            items=[
                TodoItem(name, count, recommendations)
                for _code, name, count in area_counts(
                    overdue, district_path=f"report__{CENTER_DISTRICT}", area=area
                )
            ],
            position=30,
        ),
    ]
