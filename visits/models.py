"""Field monitoring visits: trips, one report per center visited, recommendations followed to the end.

Access (see `visits/access.py` for the rules in one place):
- a trip belongs to its district when it has one (district officers there edit it), otherwise to its
  province; whoever recorded a trip may edit it;
- a center report belongs to its center's district, like the center itself; its author may edit it while
  it is a draft or was returned; provincial staff of the center's province review it.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center
from core.scoping import NOTHING, OfficeLevel, ScopedQuerySet, editable_q, visible_q
from core.thai import format_date_be_numeric
from geography.models import District, Province

CENTER_DISTRICT = "center__village__subdistrict__district"


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def any_of(*conditions: Q) -> Q:
    """The OR of scoping conditions. An empty Q() means "every row" in core.scoping, but `Q() | Q(x)` is
    `Q(x)` in Django: so when one condition is empty, the result is empty (every row) too."""
    if any(not condition for condition in conditions):
        return Q()
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


# --- trips -----------------------------------------------------------------------------------------------


class TripLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")


class TripQuerySet(ScopedQuerySet):
    """Trips: a district officer sees the trips of their district, the trips they recorded, and the trips
    that stop at or report on a center of their district; provincial staff see their province."""

    district_path = "district"

    def visible_to(self, user: Any):
        if not _active(user):
            return self.none()
        if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
            return self.all()
        if user.office_level == OfficeLevel.PROVINCE and user.province_id:
            return self.filter(Q(province=user.province_id) | Q(created_by=user))
        if user.office_level == OfficeLevel.DISTRICT and user.district_id:
            in_district = {CENTER_DISTRICT: user.district_id}
            stops = ItineraryStop.objects.filter(trip=OuterRef("pk"), **in_district)
            reports = CenterReport.objects.filter(trip=OuterRef("pk"), **in_district)
            return self.filter(
                Q(district=user.district_id) | Q(created_by=user) | Exists(stops) | Exists(reports)
            )
        return self.none()

    def editable_by(self, user: Any):
        if not _active(user):
            return self.none()
        return self.filter(any_of(editable_q(user, self.district_path), Q(created_by=user)))

    def with_area(self):
        return self.select_related("province", "district")


class Trip(models.Model):
    """A monitoring trip (การลงพื้นที่ติดตาม) of one or several days in one province."""

    level = models.CharField(_("level"), max_length=12, choices=TripLevel.choices, default=TripLevel.DISTRICT)
    title = models.CharField(
        _("title"),
        max_length=250,
        help_text=_("A short name, used as the heading of the news post."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    ordered_by = models.CharField(
        _("ordered by"), max_length=250, blank=True, help_text=_("Who ordered the trip, or the order number.")
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="visit_trips", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_trips",
        verbose_name=_("district"),
        help_text=_("Leave empty when the trip covers several districts of the province."),
    )
    helping_offices = models.TextField(
        _("offices that helped"),
        blank=True,
        help_text=_("One office per line; they are thanked in the news post."),
    )
    people_met = models.TextField(
        _("people met"), blank=True, help_text=_("One person per line: name and role.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = TripQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("monitoring trip")
        verbose_name_plural = _("monitoring trips")
        indexes = [models.Index(fields=["province", "-start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="visits_trip_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=TripLevel.values), name="visits_trip_level_is_known"
            ),
            models.CheckConstraint(
                condition=~Q(level=TripLevel.DISTRICT) | Q(district__isnull=False),
                name="visits_district_trip_has_district",
                violation_error_message=_("A district-level trip needs its district."),
            ),
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(Exact(Left("district", 2), F("province"))),
                name="visits_trip_district_in_province",
                violation_error_message=_("The district is not in the trip's province."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if self.district_id and self.province_id and not self.district_id.startswith(self.province_id):
            errors["district"] = _("The district is not in the trip's province.")
        if self.level == TripLevel.DISTRICT and not self.district_id:
            errors["district"] = _("A district-level trip needs its district.")
        if errors:
            raise ValidationError(errors)

    def covers(self, day: date | None) -> bool:
        return bool(day and self.start_date and self.end_date and self.start_date <= day <= self.end_date)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def dates_error(self, day: date) -> str:
        return _("The date %(date)s is outside the trip (%(start)s to %(end)s).") % {
            "date": format_date_be_numeric(day),
            "start": format_date_be_numeric(self.start_date),
            "end": format_date_be_numeric(self.end_date),
        }

    @property
    def helping_office_list(self) -> list[str]:
        return _lines(self.helping_offices)

    @property
    def people_met_list(self) -> list[str]:
        return _lines(self.people_met)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class TripMember(models.Model):
    """A member of the team: a staff account, or an outside person described by name, position and office."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="members", verbose_name=_("trip"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_trip_memberships",
        verbose_name=_("staff account"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    office = models.CharField(_("office"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(position=""),
                name="visits_member_is_account_or_has_position",
                violation_error_message=_("Choose a staff account, or give the person's position."),
            ),
            models.UniqueConstraint(
                fields=["trip", "user"],
                condition=Q(user__isnull=False),
                name="visits_member_once_per_trip",
                violation_error_message=_("This staff member is already in the team."),
            ),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.display_name, self.display_position) if part)

    @property
    def display_name(self) -> str:
        if self.user_id and not self.name:
            return self.user.get_full_name() or self.user.username
        return self.name

    @property
    def display_position(self) -> str:
        if self.user_id and not self.position:
            return self.user.position_title
        return self.position


class ItineraryStop(models.Model):
    """One timed stop of the itinerary: a meeting, or a visit to a center."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stops", verbose_name=_("trip"))
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    description = models.CharField(_("what happens"), max_length=300)
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="itinerary_stops",
        verbose_name=_("center visited"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", F("time").asc(nulls_first=True), "pk"]
        verbose_name = _("itinerary stop")
        verbose_name_plural = _("itinerary")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        trip = self.trip if _has_trip(self) else None
        if trip is not None and self.date and trip.start_date and not trip.covers(self.date):
            errors["date"] = trip.dates_error(self.date)
        if trip is not None and self.center_id and trip.province_id:
            center_province = _center_province_id(self.center_id)
            if center_province != trip.province_id:
                errors["center"] = _("This center is not in the trip's province.")
        if errors:
            raise ValidationError(errors)

    @property
    def day_number(self) -> int:
        return (self.date - self.trip.start_date).days + 1


def _has_trip(obj: models.Model) -> bool:
    try:
        return obj.trip is not None
    except Trip.DoesNotExist:
        return False


def _center_province_id(center_id: int) -> str | None:
    return (
        Center.objects.filter(pk=center_id)
        .values_list("village__subdistrict__district__province_id", flat=True)
        .first()
    )


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
        if not _active(user):
            return self.none()
        return self.filter(any_of(visible_q(user, self.district_path), Q(author=user)))

    def editable_by(self, user: Any):
        """Reports whose content the user may change (while the report is a draft or was returned)."""
        if not _active(user):
            return self.none()
        return self.filter(any_of(editable_q(user, self.district_path), Q(author=user)))

    def reviewable_by(self, user: Any):
        """Reports the user may accept or return: provincial staff of the center's province, and admins.

        Nobody but an administrator reviews a report they wrote themselves.
        """
        if not _active(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.office_level == OfficeLevel.PROVINCE and user.province_id:
            return self.filter(**{f"{self.district_path}__province": user.province_id}).exclude(author=user)
        return self.filter(NOTHING)

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
        indexes = [models.Index(fields=["status", "visit_date"])]
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
        trip = self.trip if _has_trip(self) else None
        if trip is not None and self.visit_date and trip.start_date and not trip.covers(self.visit_date):
            errors["visit_date"] = trip.dates_error(self.visit_date)
        if (
            trip is not None
            and self.center_id
            and trip.province_id
            and _center_province_id(self.center_id) != trip.province_id
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

    @property
    def is_editable_state(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def people_met_list(self) -> list[str]:
        return _lines(self.people_met)

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
        if not _active(user):
            return self.none()
        return self.filter(any_of(visible_q(user, self.district_path), Q(report__author=user)))

    def editable_by(self, user: Any):
        if not _active(user):
            return self.none()
        return self.filter(any_of(editable_q(user, self.district_path), Q(report__author=user)))

    def can_follow_up(self, user: Any):
        """Recommendations the user may add follow-up notes to: the report's editors and its reviewers."""
        if not _active(user):
            return self.none()
        reviewers = NOTHING
        if user.office_level == OfficeLevel.PROVINCE and user.province_id:
            reviewers = Q(**{f"{self.district_path}__province": user.province_id})
        return self.filter(
            any_of(editable_q(user, self.district_path), Q(report__author=user), reviewers),
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
        report = self.report if _has_report(self) else None
        if report is not None and self.due_date and report.visit_date and self.due_date < report.visit_date:
            raise ValidationError({"due_date": _("The due date cannot be before the visit.")})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


def _has_report(obj: models.Model) -> bool:
    try:
        return obj.report is not None
    except CenterReport.DoesNotExist:
        return False


def _upload_path(folder: str, filename: str) -> str:
    """A random file name: the name a person gave a file is never used on disk."""
    suffix = Path(filename).suffix.lower()[:6]
    today = timezone.localdate()
    return f"visits/{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def evidence_path(instance: Any, filename: str) -> str:
    return _upload_path("evidence", filename)


def photo_path(instance: Any, filename: str) -> str:
    return _upload_path("photos", filename)


def photo_display_path(instance: Any, filename: str) -> str:
    return _upload_path("photos-display", filename)


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


class ReportPhoto(models.Model):
    """A photo of a report, checked and re-encoded on upload (visits.images), with a display-size copy."""

    report = models.ForeignKey(
        CenterReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    display = models.FileField(_("display copy"), upload_to=photo_display_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=20)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    keep_location = models.BooleanField(_("location kept"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        constraints = [
            models.CheckConstraint(condition=Q(width__gt=0, height__gt=0), name="visits_photo_has_size"),
            models.CheckConstraint(
                condition=Q(keep_location=True) | Q(latitude__isnull=True, longitude__isnull=True),
                name="visits_photo_location_only_when_kept",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or _("Photo %(number)s") % {"number": self.pk}
