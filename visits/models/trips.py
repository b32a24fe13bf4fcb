"""Monitoring trips: the team, the days, the itinerary."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center
from core.scoping import OfficeLevel, ScopedQuerySet, trip_record_q
from core.thai import format_date_be_numeric
from geography.models import District, Province

from .common import CENTER_DISTRICT, center_province_id, is_active_user, text_lines

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
        if not is_active_user(user):
            return self.none()
        if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
            return self.all()
        if user.office_level == OfficeLevel.PROVINCE and user.province_id:
            return self.filter(Q(province=user.province_id) | Q(created_by=user))
        if user.office_level == OfficeLevel.DISTRICT and user.district_id:
            in_district = {CENTER_DISTRICT: user.district_id}
            stops = ItineraryStop.objects.filter(trip=OuterRef("pk"), **in_district)
            reports = apps.get_model("visits", "CenterReport").objects.filter(
                trip=OuterRef("pk"), **in_district
            )
            return self.filter(
                Q(district=user.district_id) | Q(created_by=user) | Exists(stops) | Exists(reports)
            )
        return self.none()

    def editable_by(self, user: Any):
        """Trips the user may change: those they could record at their level and place
        (core.scoping.trip_record_q), and those they recorded."""
        if not is_active_user(user):
            return self.none()
        return self.filter(trip_record_q(user) | Q(created_by=user))

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
        indexes = [
            models.Index(fields=["province", "-start_date"]),
            # the trip list of department staff, newest first: the first page is read from the index
            models.Index(fields=["start_date", "id"], name="visits_trip_start_date_id"),
        ]
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
        return text_lines(self.helping_offices)

    @property
    def people_met_list(self) -> list[str]:
        return text_lines(self.people_met)

    @staticmethod
    def leader_of(members: list[TripMember]) -> TripMember | None:
        """The leader among already-read members (trip_save keeps one ticked whenever there is a team)."""
        return next((member for member in members if member.is_leader), None)


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
    is_leader = models.BooleanField(
        _("leads the team"),
        default=False,
        help_text=_(
            "The leader signs the memo and comes first in the news post; when nobody is ticked, the "
            "first member leads."
        ),
    )
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
            models.UniqueConstraint(
                fields=["trip"],
                condition=Q(is_leader=True),
                name="visits_one_leader_per_trip",
                violation_error_message=_("A team has one leader: tick one member only."),
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
        trip = self.trip if has_trip(self) else None
        dated_trip = trip is not None and trip.start_date and trip.end_date  # a refused trip date: no check
        if dated_trip and self.date and not trip.covers(self.date):
            errors["date"] = trip.dates_error(self.date)
        if trip is not None and self.center_id and trip.province_id:
            center_province = center_province_id(self.center_id)
            if center_province != trip.province_id:
                errors["center"] = _("This center is not in the trip's province.")
        if errors:
            raise ValidationError(errors)

    @property
    def day_number(self) -> int:
        return (self.date - self.trip.start_date).days + 1


def has_trip(obj: models.Model) -> bool:
    try:
        return obj.trip is not None
    except Trip.DoesNotExist:
        return False
