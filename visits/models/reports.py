"""One report per center visited on a trip, and the registries checklist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center
from core.scoping import EVERYTHING, ScopedQuerySet, editable_q, trip_review_q, visible_q
from core.thai import format_date_be_numeric

from .common import CENTER_DISTRICT, center_province_id, is_active_user, text_lines
from .trips import Trip, has_trip

# --- center reports --------------------------------------------------------------------------------------


class RegistryKind(models.Model):
    """A registry a center should keep (ทะเบียน): reference data, changed by administrators only."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("still required"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("registry kind")
        verbose_name_plural = _("registry kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en"):
            return self.name_en or self.name_th
        return self.name_th


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
SNAPSHOT_FIELDS = (
    "snapshot_households_enrolled",
    "snapshot_households_debt_reduced",
    "snapshot_households_debt_free",
    "snapshot_debt_reduced",
    "snapshot_savings",
)
SHARED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class CenterReportQuerySet(ScopedQuerySet):
    district_path = CENTER_DISTRICT

    def visible_to(self, user: Any):
        if not is_active_user(user):
            return self.none()
        if visible_q(user, self.district_path) == EVERYTHING:
            return self.all()
        # The user's centers as a subquery: an OR between the author and a column of the joined area tables
        # makes PostgreSQL join every report to its area before filtering, and plan for longer than it runs.
        return self.filter(Q(center__in=Center.objects.visible_to(user)) | Q(author=user))

    def editable_by(self, user: Any):
        """Reports whose content the user may change (while the report is a draft or was returned)."""
        if not is_active_user(user):
            return self.none()
        return self.filter(editable_q(user, self.district_path) | Q(author=user))

    def reviewable_by(self, user: Any):
        """Reports the user may accept or return, by the level of their trip (core.scoping.trip_review_q):
        a district trip's by its province, a provincial trip's by the province's head or a department
        reviewer, a department trip's by a department reviewer; admins every report.

        Nobody but an administrator reviews a report they wrote themselves.
        """
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        condition = trip_review_q(user, level="trip__level", province=f"{self.district_path}__province")
        return self.filter(condition).exclude(author=user)

    def with_related(self):
        return self.select_related("trip", "author", "center__village__subdistrict__district__province")


class CenterReport(models.Model):
    """What the team found at one center on one day of a trip, and what it recommends."""

    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="reports", verbose_name=_("trip"))
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="visit_reports", verbose_name=_("center")
    )
    visit_date = models.DateField(_("date of the visit"))
    people_met = models.TextField(
        _("people met"),
        blank=True,
        help_text=_("One person per line: name and role, for example สมศรี ใจดี – ประธาน"),
    )
    people_met_count = models.PositiveSmallIntegerField(
        _("number of people met"),
        null=True,
        blank=True,
        help_text=_("Everyone met, including those not named above. Empty: the number of names."),
    )
    finding_committee = models.TextField(_("committee"), blank=True)
    finding_funds = models.TextField(_("member funds and capital"), blank=True)
    finding_contracts = models.TextField(_("1 household 1 contract: contracts and repayment"), blank=True)
    finding_savings = models.TextField(_("savings"), blank=True)
    finding_registries = models.TextField(_("registries kept"), blank=True)
    registries_kept = models.ManyToManyField(
        RegistryKind, blank=True, related_name="+", verbose_name=_("registries the center keeps up to date")
    )
    finding_occupations = models.TextField(_("occupational groups"), blank=True)
    strengths = models.TextField(_("strengths and good techniques"), blank=True)
    problems = models.TextField(_("problems"), blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The new-report form's one-time token: the same form sent twice (a double tap, the phone's offline
    # queue sending again) records one report. Empty for reports written before it, or by other means.
    token = models.UUIDField(_("form token"), unique=True, null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    # The center's figures on the visit date (visits.snapshot.snapshot_for), frozen at the first submission.
    snapshot_taken_at = models.DateTimeField(_("figures taken at"), null=True, blank=True)
    snapshot_frozen = models.BooleanField(_("figures frozen"), default=False)
    snapshot_households_enrolled = models.PositiveIntegerField(
        _("households enrolled"), null=True, blank=True
    )
    snapshot_households_debt_reduced = models.PositiveIntegerField(
        _("households whose debt went down"), null=True, blank=True
    )
    snapshot_households_debt_free = models.PositiveIntegerField(
        _("debt-free households"), null=True, blank=True
    )
    snapshot_debt_reduced = models.DecimalField(
        _("debt reduced (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    snapshot_savings = models.DecimalField(
        _("savings of enrolled households (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    objects = CenterReportQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[registries_kept])

    class Meta:
        ordering = ["visit_date", "pk"]
        verbose_name = _("center visit report")
        verbose_name_plural = _("center visit reports")
        indexes = [
            models.Index(fields=["status", "visit_date"]),
            # the report list, newest first: the first page is read from the index
            models.Index(fields=["visit_date", "id"], name="visits_report_visit_date_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trip", "center"],
                name="visits_one_report_per_center_per_trip",
                violation_error_message=_("This trip already has a report for this center."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="visits_report_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="visits_report_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(review_comment=""),
                name="visits_returned_report_has_comment",
                violation_error_message=_("Say why the report is returned."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.ACCEPTED) | Q(reviewed_by__isnull=False),
                name="visits_accepted_report_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(snapshot_debt_reduced__isnull=True) | Q(snapshot_debt_reduced__gte=0),
                name="visits_snapshot_debt_reduced_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(snapshot_savings__isnull=True) | Q(snapshot_savings__gte=0),
                name="visits_snapshot_savings_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return _("%(center)s, %(date)s") % {
            "center": self.center,
            "date": format_date_be_numeric(self.visit_date),
        }

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        trip = self.trip if has_trip(self) else None
        if trip is not None and self.visit_date and trip.start_date and not trip.covers(self.visit_date):
            errors["visit_date"] = trip.dates_error(self.visit_date)
        if (
            trip is not None
            and self.center_id
            and trip.province_id
            and center_province_id(self.center_id, self._loaded_center()) != trip.province_id
        ):
            errors["center"] = _(
                "This center is outside the trip's province (%(province)s): a trip visits one province."
            ) % {"province": trip.province}
        named = len(self.people_met_list)
        if self.people_met_count is not None and self.people_met_count < named:
            errors["people_met_count"] = _(
                "You named %(named)s people but the number of people met is %(count)s."
            ) % {"named": named, "count": self.people_met_count}
        if errors:
            raise ValidationError(errors)

    def _loaded_center(self) -> Center | None:
        field = self._meta.get_field("center")
        return field.get_cached_value(self) if field.is_cached(self) else None

    @property
    def is_editable_state(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def people_met_list(self) -> list[str]:
        return text_lines(self.people_met)

    @property
    def people_met_total(self) -> int:
        if self.people_met_count is not None:
            return self.people_met_count
        return len(self.people_met_list)

    @property
    def findings(self) -> list[tuple[str, str]]:
        """(topic, text) of every finding written, in the order of the form."""
        topics = [
            "finding_committee",
            "finding_funds",
            "finding_contracts",
            "finding_savings",
            "finding_registries",
            "finding_occupations",
        ]
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in topics]

    @property
    def snapshot_figures(self) -> list[tuple[str, Any, str]]:
        """(label, value, kind) of the stored figures; value None when unknown."""
        kinds = {"snapshot_debt_reduced": "baht", "snapshot_savings": "baht"}
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name), kinds.get(name, "count"))
            for name in SNAPSHOT_FIELDS
        ]

    @property
    def has_snapshot_figures(self) -> bool:
        return any(value is not None for _label, value, _kind in self.snapshot_figures)
