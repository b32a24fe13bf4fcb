"""Recommendations of a report and the dated notes that follow them to the end."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center
from core.scoping import EVERYTHING, NOTHING, OfficeLevel, ScopedQuerySet, editable_q, visible_q
from core.thai import format_date_be_numeric

from .common import CENTER_DISTRICT, evidence_path, is_active_user
from .reports import SHARED_STATUSES, CenterReport

# --- recommendations -------------------------------------------------------------------------------------


class AddressedTo(models.TextChoices):
    COMMITTEE = "committee", _("Center committee")
    DISTRICT = "district", _("District office")
    PROVINCE = "province", _("Provincial office")
    DEPARTMENT = "department", _("Department")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class RecommendationQuerySet(ScopedQuerySet):
    district_path = f"report__{CENTER_DISTRICT}"

    def visible_to(self, user: Any):
        if not is_active_user(user):
            return self.none()
        if visible_q(user, self.district_path) == EVERYTHING:
            return self.all()
        # as CenterReportQuerySet.visible_to: the user's centers as a subquery
        return self.filter(Q(report__center__in=Center.objects.visible_to(user)) | Q(report__author=user))

    def editable_by(self, user: Any):
        if not is_active_user(user):
            return self.none()
        return self.filter(editable_q(user, self.district_path) | Q(report__author=user))

    def can_follow_up(self, user: Any):
        """Recommendations the user may add follow-up notes to: the report's editors and its reviewers."""
        if not is_active_user(user):
            return self.none()
        reviewers = NOTHING
        if user.office_level == OfficeLevel.PROVINCE and user.province_id:
            reviewers = Q(**{f"{self.district_path}__province": user.province_id})
        return self.filter(
            editable_q(user, self.district_path) | Q(report__author=user) | reviewers,
            report__status__in=SHARED_STATUSES,
        )

    def published(self):
        """Recommendations of reports that left the draft stage (submitted or accepted)."""
        return self.filter(report__status__in=SHARED_STATUSES)

    def still_open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None):
        return self.still_open().filter(due_date__lt=today or timezone.localdate())

    def with_related(self):
        return self.select_related("report__trip", "report__center__village__subdistrict__district__province")


class Recommendation(models.Model):
    report = models.ForeignKey(
        CenterReport, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("report")
    )
    text = models.TextField(_("recommendation"))
    addressed_to = models.CharField(
        _("addressed to"), max_length=12, choices=AddressedTo.choices, default=AddressedTo.COMMITTEE
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="visits_recommendation_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(addressed_to__in=AddressedTo.values),
                name="visits_recommendation_addressee_is_known",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="visits_recommendation_has_text"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    def clean(self) -> None:
        super().clean()
        report = self.report if has_report(self) else None
        if report is not None and self.due_date and report.visit_date and self.due_date < report.visit_date:
            raise ValidationError({"due_date": _("The due date cannot be before the visit.")})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


def has_report(obj: models.Model) -> bool:
    try:
        return obj.report is not None
    except CenterReport.DoesNotExist:
        return False


class FollowUp(models.Model):
    """A dated note on what happened to a recommendation, with optional evidence."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("recommendation")
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("what happened"))
    status = models.CharField(
        _("status after this note"), max_length=12, choices=RecommendationStatus.choices
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=200)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="visits_follow_up_has_note"),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values), name="visits_follow_up_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{format_date_be_numeric(self.date)} {self.note[:60]}"
