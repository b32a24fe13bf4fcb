"""Who is told of what in visits, in Thai (accounts.notifications): the author when a report is returned
or accepted, its reviewers when one waits for review, its editors when a recommendation falls overdue."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Notification, User
from accounts.notifications import notify
from core.scoping import OfficeLevel

from .models import CenterReport, Recommendation


def report_reviewers(report: CenterReport) -> list[User]:
    """The people who may review the report (CenterReportQuerySet.reviewable_by), administrators left out:
    the staff of the center's province and the department, each asked whether the report is theirs."""
    province = report.center.village.subdistrict.district.province_id
    candidates = User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(office_level=OfficeLevel.PROVINCE, province=province) | Q(office_level=OfficeLevel.DEPARTMENT)
    )
    return [
        user for user in candidates if CenterReport.objects.reviewable_by(user).filter(pk=report.pk).exists()
    ]


def report_reviewed(report: CenterReport) -> None:
    """Submitted, returned or accepted: tell whom it concerns (called by the review services)."""
    url = reverse("visits:report_detail", args=[report.pk])
    center = report.center.name
    with override("th"):
        if report.status == "submitted":
            recipients = report_reviewers(report)
            kind = Notification.Kind.REVIEW_WAITING
            subject = _("A report waits for your review: %(center)s") % {"center": center}
            body = _("%(author)s submitted the report on %(center)s for review.") % {
                "author": report.author.get_full_name() or report.author.username,
                "center": center,
            }
        elif report.status == "returned":
            recipients, kind = [report.author], Notification.Kind.REPORT_RETURNED
            subject = _("Your report was returned: %(center)s") % {"center": center}
            body = _("The reviewer's comment: %(comment)s") % {"comment": report.review_comment}
        elif report.status == "accepted":
            recipients, kind = [report.author], Notification.Kind.REPORT_ACCEPTED
            subject = _("Your report was accepted: %(center)s") % {"center": center}
            body = report.review_comment or _("The report on %(center)s was accepted.") % {"center": center}
        else:
            return
    # one notification per round of review: the submission's time tells the rounds apart
    key = f"report:{report.pk}:{report.submitted_at:%Y%m%d%H%M%S%f}"
    notify(recipients=recipients, kind=kind, key=key, subject=subject, body=body, url=url)


def recommendations_fallen_overdue(today: date | None = None) -> int:
    """Tell the editors of each report (its author and its district's officers) of its recommendations
    that are overdue; each once. Answers how many notifications were written (run daily:
    `manage.py notify_overdue`)."""
    today = today or timezone.localdate()
    overdue = (
        Recommendation.objects.published()
        .overdue(today)
        .select_related("report__author", "report__center__village__subdistrict")
    )
    written = 0
    for recommendation in overdue:
        report = recommendation.report
        district = report.center.village.subdistrict.district_id
        officers = list(
            User.objects.filter(is_active=True, office_level=OfficeLevel.DISTRICT, district_id=district)
        )
        with override("th"):
            subject = _("A recommendation is overdue: %(center)s") % {"center": report.center.name}
            body = recommendation.text
        written += len(
            notify(
                recipients=[report.author, *officers],
                kind=Notification.Kind.RECOMMENDATION_OVERDUE,
                key=f"recommendation:{recommendation.pk}:{recommendation.due_date:%Y%m%d}",
                subject=subject,
                body=body,
                url=reverse("visits:recommendation_detail", args=[recommendation.pk]),
            )
        )
    return written
