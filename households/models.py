"""Member households of a center: who they are, their monthly budget, their status in the debt process, and
the log of every reveal and export of their personal data (PDPA).

National IDs are stored encrypted with a keyed hash beside them (see households.national_id); pages show them
masked, and only district officers of the household's district and administrators may reveal them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center, OccupationalGroup
from core.models import Recorded
from core.scoping import ScopedQuerySet, can_create, editable_q
from geography.models import Village

from . import national_id

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


def personal_data_q(user: Any, district_path: str) -> Q:
    """The rows whose personal data `user` may see: district officers of that district, and admins.

    Provincial and department staff read counts and totals (`visible_to`) but never names or IDs.
    """
    return editable_q(user, district_path)


def may_see_personal_data(user: Any) -> bool:
    """Whether the user may see personal data anywhere (and so gets lists with names rather than totals)."""
    return can_create(user)  # the same people: admins, and district officers in their district


class PersonalDataQuerySet(ScopedQuerySet):
    """A scoped queryset whose rows hold personal data: names and IDs only for `personal_data_visible_to`."""

    def personal_data_visible_to(self, user: Any):
        return self.filter(personal_data_q(user, self.district_path))


class HouseholdStatus(models.TextChoices):
    SURVEYED = "surveyed", _("Surveyed")
    TARGET = "target", _("Target household")
    ENROLLED = "enrolled", _("Enrolled (has a contract)")
    DEBT_FREE = "debt_free", _("Debt-free")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The legal moves: surveyed → target → enrolled → debt-free, or withdrawn before the end.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    HouseholdStatus.SURVEYED: (HouseholdStatus.TARGET, HouseholdStatus.WITHDRAWN),
    HouseholdStatus.TARGET: (HouseholdStatus.ENROLLED, HouseholdStatus.WITHDRAWN),
    HouseholdStatus.ENROLLED: (HouseholdStatus.DEBT_FREE, HouseholdStatus.WITHDRAWN),
    HouseholdStatus.DEBT_FREE: (),
    HouseholdStatus.WITHDRAWN: (),
}


class HouseholdQuerySet(PersonalDataQuerySet):
    district_path = "center__village__subdistrict__district"

    def with_place(self):
        return self.select_related("center", "village")


class NationalIdHolder(models.Model):
    """A person's national ID: stored encrypted with its keyed hash (for finding the person again without
    decrypting), shown masked. Households and guarantors hold one."""

    national_id_encrypted = models.TextField(_("national ID (encrypted)"), editable=False)
    national_id_hash = models.CharField(_("national ID (keyed hash)"), max_length=64, editable=False)

    class Meta:
        abstract = True

    @property
    def national_id_masked(self) -> str:
        return national_id.masked(national_id.decrypt(self.national_id_encrypted))

    def set_national_id(self, normalized: str) -> None:
        """Store a normalized ID (see national_id.normalize) encrypted, with its keyed hash."""
        self.national_id_encrypted = national_id.encrypt(normalized)
        self.national_id_hash = national_id.keyed_hash(normalized)


class Household(NationalIdHolder):
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="households", verbose_name=_("center")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    house_number = models.CharField(_("house number"), max_length=20)
    head_name = models.CharField(_("head of household"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(
        _("number of members"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    occupations = models.CharField(_("occupations"), max_length=300, blank=True)
    occupational_groups = models.ManyToManyField(
        OccupationalGroup, blank=True, related_name="households", verbose_name=_("occupational groups")
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version given"),
        max_length=20,
        help_text=_("The version of the personal data notice the household was given."),
    )
    surveyed_by = models.CharField(_("surveyed by"), max_length=200)
    surveyed_on = models.DateField(_("surveyed on"))
    status = models.CharField(
        _("status"), max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.SURVEYED
    )
    status_since = models.DateField(_("status since"))

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[occupational_groups])

    class Meta:
        ordering = ["center_id", "village_id", "house_number", "pk"]  # ids: no join for the default order
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "national_id_hash"],
                name="household_unique_national_id_in_center",
                violation_error_message=_("A household with this national ID is already registered here."),
            ),
            models.CheckConstraint(
                condition=Q(members__gte=1),
                name="household_has_members",
                violation_error_message=_("A household has at least one member."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=HouseholdStatus.values), name="household_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=models.F("surveyed_on")),
                name="household_status_not_before_survey",
            ),
        ]
        indexes = [models.Index(fields=["national_id_hash"], name="household_id_hash_idx")]

    def __str__(self) -> str:
        # Never the national ID: this string ends up in logs and in the admin.
        return f"{self.house_number} {self.head_name}"

    def reveal_national_id(self) -> str:
        """The formatted ID. Call only through services.household_reveal_national_id, which logs it."""
        return national_id.formatted(national_id.decrypt(self.national_id_encrypted))

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return STATUS_TRANSITIONS[self.status]


class HouseholdPartQuerySet(PersonalDataQuerySet):
    district_path = "household__center__village__subdistrict__district"


class StatusChange(Recorded):
    """One dated move of a household through the debt process, after its survey; never edited."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("household")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=HouseholdStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=HouseholdStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = HouseholdPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="status_change_changes_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} ({self.changed_on})"


INCOME_FIELDS = (
    "income_farming",
    "income_wages",
    "income_business",
    "income_remittances",
    "income_welfare",
    "income_other",
)
EXPENSE_FIELDS = (
    "expense_food",
    "expense_housing",
    "expense_education",
    "expense_health",
    "expense_transport",
    "expense_farming",
    "expense_social",
    "expense_other",
    "expense_debt",
)


def _money(verbose_name: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, **MONEY, default=ZERO)


class BudgetStatement(models.Model):
    """A household's monthly income by source and expenses by category, as found on a date."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("household")
    )
    as_of = models.DateField(_("as of"))
    income_farming = _money(_("farming and livestock"))
    income_wages = _money(_("wages and salaries"))
    income_business = _money(_("trade and small business"))
    income_remittances = _money(_("money sent by family"))
    income_welfare = _money(_("state allowances and welfare"))
    income_other = _money(_("other income"))
    expense_food = _money(_("food"))
    expense_housing = _money(_("housing, water and electricity"))
    expense_education = _money(_("education"))
    expense_health = _money(_("health"))
    expense_transport = _money(_("transport and fuel"))
    expense_farming = _money(_("farming and business costs"))
    expense_social = _money(_("social and religious events"))
    expense_other = _money(_("other expenses"))
    expense_debt = _money(_("debt repayments now paid"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = HouseholdPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("budget statement")
        verbose_name_plural = _("budget statements")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "as_of"],
                name="budget_one_per_household_and_date",
                violation_error_message=_("This household already has a budget statement for this date."),
            ),
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0 for name in INCOME_FIELDS + EXPENSE_FIELDS}),
                name="budget_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.as_of}"

    @property
    def total_income(self) -> Decimal:
        return sum((getattr(self, name) for name in INCOME_FIELDS), ZERO)

    @property
    def living_expenses(self) -> Decimal:
        """Everything but the debt repayments now paid: a consolidated contract replaces those."""
        return sum((getattr(self, name) for name in EXPENSE_FIELDS if name != "expense_debt"), ZERO)

    @property
    def total_expenses(self) -> Decimal:
        return self.living_expenses + self.expense_debt

    @property
    def surplus(self) -> Decimal:
        """Income less all expenses, the debt repayments now paid included (negative when short)."""
        return self.total_income - self.total_expenses

    @property
    def surplus_before_debt(self) -> Decimal:
        """Income less living expenses: what one consolidated instalment must fit in."""
        return self.total_income - self.living_expenses

    def incomes(self) -> list[tuple[str, Decimal]]:
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in INCOME_FIELDS]

    def expenses(self) -> list[tuple[str, Decimal]]:
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in EXPENSE_FIELDS
        ]


class PersonalDataLogQuerySet(ScopedQuerySet):
    district_path = "district"


class PersonalDataLog(models.Model):
    """Who saw or took personal data, when, and what: written on every reveal, export and import."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("Revealed a national ID")
        EXPORT = "export", _("Exported household data")
        IMPORT = "import", _("Imported household data")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    district = models.ForeignKey(
        "geography.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("The district of the data; empty when it spans several districts."),
    )
    what = models.CharField(_("what"), max_length=500)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    objects = PersonalDataLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data log entry")
        verbose_name_plural = _("personal data log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action}"
