"""Staff accounts. Each account belongs to an office at one level, which sets what it may see and edit."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import OfficeLevel
from geography.models import District, Province

OFFICE_LEVEL_CHOICES = [
    (OfficeLevel.DEPARTMENT, _("Department (national)")),
    (OfficeLevel.PROVINCE, _("Provincial office")),
    (OfficeLevel.DISTRICT, _("District office")),
]


class StaffManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """The first admin (`manage.py createsuperuser`) works at the department: it has no area."""
        extra_fields.setdefault("office_level", OfficeLevel.DEPARTMENT)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    position_title = models.CharField(
        _("position title"), max_length=150, blank=True, help_text=_("For example: นักวิชาการพัฒนาชุมชนชำนาญการ")
    )
    office_level = models.CharField(
        _("office level"), max_length=12, choices=OFFICE_LEVEL_CHOICES, default=OfficeLevel.DISTRICT
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("province"),
        help_text=_("For provincial staff: the province of their office."),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("district"),
        help_text=_("For district officers: the district of their office."),
    )
    reviews_reports = models.BooleanField(
        _("reviews visit reports"),
        default=False,
        help_text=_(
            "Provincial staff: the head of the provincial office (or whoever reviews in their name) reviews "
            "the reports of provincial trips. Department staff: a reviewer of the reports of department and "
            "provincial trips. Not for district officers."
        ),
    )
    must_change_password = models.BooleanField(
        _("must change password at next login"),
        default=False,
        help_text=_(
            "Set when an administrator gives a temporary password: the user chooses their own before "
            "anything else."
        ),
    )

    objects = StaffManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                name="user_office_points_to_its_level",
                condition=(
                    Q(office_level=OfficeLevel.DEPARTMENT, province__isnull=True, district__isnull=True)
                    | Q(office_level=OfficeLevel.PROVINCE, province__isnull=False, district__isnull=True)
                    | Q(office_level=OfficeLevel.DISTRICT, province__isnull=True, district__isnull=False)
                ),
                violation_error_message=_(
                    "A department account has no area, a provincial account has only a province, "
                    "and a district account has only a district."
                ),
            ),
            models.CheckConstraint(
                name="user_district_officer_reviews_no_reports",
                condition=~Q(office_level=OfficeLevel.DISTRICT) | Q(reviews_reports=False),
                violation_error_message=_("District officers do not review visit reports."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.office_level == OfficeLevel.PROVINCE:
            if not self.province_id:
                raise ValidationError({"province": _("Choose the province of this provincial office.")})
            self.district = None
        elif self.office_level == OfficeLevel.DISTRICT:
            if not self.district_id:
                raise ValidationError({"district": _("Choose the district of this district office.")})
            self.province = None
            self.reviews_reports = False
        else:
            self.province = None
            self.district = None

    @property
    def role_label(self) -> str:
        if self.is_superuser:
            return str(_("Administrator"))
        return str(dict(OFFICE_LEVEL_CHOICES).get(self.office_level, ""))

    @property
    def office_area(self) -> Province | District | None:
        if self.office_level == OfficeLevel.PROVINCE:
            return self.province
        if self.office_level == OfficeLevel.DISTRICT:
            return self.district
        return None

    @property
    def office_province_id(self) -> str | None:
        """The province the user works in, whatever the level (None for the department)."""
        if self.office_level == OfficeLevel.DISTRICT and self.district_id:
            return self.district_id[:2]
        return self.province_id


class Notification(models.Model):
    """Something that happened for one person (a report returned or accepted, a review waiting, a
    recommendation fallen overdue), shown as a badge on their next page and, when email is on, mailed.
    Written in Thai when it happens; `key` names what it is about, so the same event is told once."""

    class Kind(models.TextChoices):
        REPORT_RETURNED = "report_returned", _("Report returned")
        REPORT_ACCEPTED = "report_accepted", _("Report accepted")
        REVIEW_WAITING = "review_waiting", _("Review waiting")
        RECOMMENDATION_OVERDUE = "recommendation_overdue", _("Recommendation overdue")

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("about"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_told_once"),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationDelivery(models.Model):
    """One attempt to email a notification: to whom, when, and what came of it."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_ADDRESS = "no_address", _("No email address")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    address = models.CharField(_("email address"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")

    def __str__(self) -> str:
        return f"{self.address or '-'}: {self.status}"
