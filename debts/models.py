"""The household debt registry (ทะเบียนข้อมูลภาวะหนี้สิน): one line per creditor, and dated balances.

Balances are immutable dated entries: updating a balance adds an entry, a correction is a new entry. A line's
`current_balance` is a copy of its latest entry's balance, written only by `services.debt_line_record_balance`
in the same transaction as the entry, so that lists can total thousands of households without subqueries.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center
from core.models import Recorded
from core.scoping import ScopedQuerySet
from households.models import MONEY, ZERO, Household, PersonalDataQuerySet


class Sector(models.TextChoices):
    FORMAL = "formal", _("Formal")
    COMMUNITY = "community", _("Community funds")
    INFORMAL = "informal", _("Informal")


class CreditorType(models.TextChoices):
    BAAC = "baac", _("BAAC (ธ.ก.ส.)")
    GSB = "gsb", _("Government Savings Bank (ออมสิน)")
    COMMERCIAL_BANK = "commercial_bank", _("Commercial bank")
    COOPERATIVE = "cooperative", _("Cooperative")
    CREDIT_CARD = "credit_card", _("Credit card or personal loan")
    LEASING = "leasing", _("Leasing or hire purchase")
    STUDENT_LOAN = "student_loan", _("Student loan fund (กยศ.)")
    FORMAL_OTHER = "formal_other", _("Other formal lender")
    VILLAGE_FUND = "village_fund", _("Village fund")
    SAVINGS_GROUP = "savings_group", _("Savings group for production")
    KKKJ = "kkkj", _("Poverty alleviation fund (กข.คจ.)")
    WOMEN_FUND = "women_fund", _("Women's development fund")
    WELFARE_FUND = "welfare_fund", _("Community welfare fund")
    COMMUNITY_OTHER = "community_other", _("Other community fund")
    MONEY_LENDER = "money_lender", _("Money lender")
    RELATIVES = "relatives", _("Relatives or friends")
    SHOP_CREDIT = "shop_credit", _("Shop credit")
    ROTATING_CREDIT = "rotating_credit", _("Rotating credit group (แชร์)")
    INFORMAL_OTHER = "informal_other", _("Other informal lender")


SECTOR_OF: dict[str, str] = {
    **dict.fromkeys(
        [
            "baac",
            "gsb",
            "commercial_bank",
            "cooperative",
            "credit_card",
            "leasing",
            "student_loan",
            "formal_other",
        ],
        Sector.FORMAL,
    ),
    **dict.fromkeys(
        ["village_fund", "savings_group", "kkkj", "women_fund", "welfare_fund", "community_other"],
        Sector.COMMUNITY,
    ),
    **dict.fromkeys(
        ["money_lender", "relatives", "shop_credit", "rotating_credit", "informal_other"], Sector.INFORMAL
    ),
}


def creditor_type_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The creditor types grouped by sector, for a select with one group per sector."""
    return [
        (sector.label, [(t.value, t.label) for t in CreditorType if SECTOR_OF[t.value] == sector])
        for sector in Sector
    ]


class RateUnit(models.TextChoices):
    PER_YEAR = "year", _("% per year")
    PER_MONTH = "month", _("% per month")
    PER_DAY = "day", _("% per day")


# A rate per day is a rate per year × 365, per month × 12 (simple interest, as the legal cap is stated).
RATE_UNITS_PER_YEAR = {RateUnit.PER_YEAR: 1, RateUnit.PER_MONTH: 12, RateUnit.PER_DAY: 365}
RATE_PLACES = Decimal("0.001")


def annual_rate(rate: Decimal | None, unit: str) -> Decimal | None:
    """The rate as % a year: per day × 365, per month × 12; None when there is no rate."""
    if rate is None or not unit:
        return None
    return (rate * RATE_UNITS_PER_YEAR[RateUnit(unit)]).quantize(RATE_PLACES)


def legal_rate_cap() -> Decimal:
    return settings.DEBT_LEGAL_RATE_CAP_PER_YEAR


class Frequency(models.TextChoices):
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("every week")
    MONTHLY = "monthly", _("every month")
    YEARLY = "yearly", _("every year")
    AT_END = "at_end", _("all at the end")
    IRREGULAR = "irregular", _("irregularly")


# How many instalments fall in a month on average, to compare with the household's monthly budget.
INSTALMENTS_PER_MONTH = {
    Frequency.DAILY: Decimal("365") / 12,
    Frequency.WEEKLY: Decimal("52") / 12,
    Frequency.MONTHLY: Decimal("1"),
    Frequency.YEARLY: Decimal("1") / 12,
}

# A balance above this many times the amount borrowed, or above the absolute limit, must be confirmed.
PLAUSIBLE_BALANCE_MULTIPLE = Decimal("3")
PLAUSIBLE_BALANCE_LIMIT = Decimal("5000000.00")


IMPLAUSIBLE_BALANCE_MESSAGE = _(
    "%(balance)s baht is far more than was borrowed, or more than a household usually owes. "
    "Check it, or tick the confirmation box if it is right."
)


def balance_is_plausible(balance: Decimal, original_amount: Decimal | None) -> bool:
    if balance > PLAUSIBLE_BALANCE_LIMIT:
        return False
    return (
        original_amount is None
        or original_amount == 0
        or balance <= original_amount * PLAUSIBLE_BALANCE_MULTIPLE
    )


class DebtLineQuerySet(PersonalDataQuerySet):
    district_path = "household__center__village__subdistrict__district"

    def open(self):
        return self.filter(status=DebtLine.Status.OPEN)

    def above_legal_cap(self):
        return self.filter(annual_rate__gt=legal_rate_cap())


class DebtLine(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Being repaid")
        PAID_OFF = "paid_off", _("Paid off")
        WRITTEN_OFF = "written_off", _("Written off")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="debt_lines", verbose_name=_("household")
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices, editable=False)
    creditor_type = models.CharField(_("creditor"), max_length=20, choices=CreditorType.choices)
    creditor_name = models.CharField(
        _("creditor name"), max_length=200, blank=True, help_text=_("For example the branch or the lender.")
    )
    original_amount = models.DecimalField(_("amount borrowed (baht)"), **MONEY)
    started_on = models.DateField(_("borrowed on"), null=True, blank=True)
    interest_rate = models.DecimalField(
        _("interest rate (%)"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    rate_unit = models.CharField(_("rate unit"), max_length=5, choices=RateUnit.choices, blank=True)
    annual_rate = models.DecimalField(
        _("annual rate (% a year)"), max_digits=10, decimal_places=3, null=True, editable=False
    )
    instalment = models.DecimalField(_("instalment (baht)"), **MONEY, null=True, blank=True)
    instalment_frequency = models.CharField(_("paid"), max_length=10, choices=Frequency.choices, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    collateral = models.CharField(_("collateral or guarantor"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    current_balance = models.DecimalField(_("outstanding (baht)"), **MONEY, default=ZERO, editable=False)
    balance_as_of = models.DateField(_("outstanding as of"), editable=False)

    objects = DebtLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["household_id", "sector", "pk"]
        verbose_name = _("debt line")
        verbose_name_plural = _("debt lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(original_amount__gte=0, current_balance__gte=0)
                & (Q(instalment__isnull=True) | Q(instalment__isnull=False, instalment__gte=0)),
                name="debt_line_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(interest_rate__isnull=True, rate_unit="", annual_rate__isnull=True)
                | Q(
                    # NULL would pass a CHECK: say "not null" outright.
                    interest_rate__isnull=False,
                    annual_rate__isnull=False,
                    interest_rate__gte=0,
                    rate_unit__in=RateUnit.values,
                    annual_rate__gte=F("interest_rate"),
                ),
                name="debt_line_rate_has_unit",
                violation_error_message=_("An interest rate needs its unit and cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(sector=sector, creditor_type__in=[t for t, s in SECTOR_OF.items() if s == sector])
                        for sector in Sector.values
                    ],
                    _connector=Q.OR,
                ),
                name="debt_line_type_in_its_sector",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status__in=["paid_off", "written_off"], closed_on__isnull=False, current_balance=0),
                name="debt_line_closed_at_zero",
                violation_error_message=_("A closed debt has a closing date and nothing outstanding."),
            ),
        ]
        indexes = [models.Index(fields=["household", "sector"], name="debt_line_household_sector")]

    def __str__(self) -> str:
        return f"{self.get_creditor_type_display()} {self.creditor_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def above_legal_cap(self) -> bool:
        return self.annual_rate is not None and self.annual_rate > legal_rate_cap()

    @property
    def monthly_instalment(self) -> Decimal | None:
        """The instalment as an average amount a month, when it is paid on a schedule."""
        per_month = INSTALMENTS_PER_MONTH.get(self.instalment_frequency)
        if self.instalment is None or per_month is None:
            return None
        return (self.instalment * per_month).quantize(Decimal("0.01"))

    def refresh_annual_rate(self) -> None:
        self.annual_rate = annual_rate(self.interest_rate, self.rate_unit)

    def set_sector(self) -> None:
        self.sector = SECTOR_OF[self.creditor_type]


class DebtBalanceQuerySet(PersonalDataQuerySet):
    district_path = "line__household__center__village__subdistrict__district"


class DebtBalance(Recorded):
    """What was still owed on a line on a date. Never edited nor deleted: a correction is a new entry."""

    line = models.ForeignKey(
        DebtLine, on_delete=models.PROTECT, related_name="balances", verbose_name=_("debt")
    )
    as_of = models.DateField(_("as of"))
    balance = models.DecimalField(_("outstanding (baht)"), **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = DebtBalanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of", "-pk"]
        get_latest_by = ["as_of", "pk"]
        verbose_name = _("balance")
        verbose_name_plural = _("balances")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="debt_balance_not_negative",
                violation_error_message=_("The outstanding balance cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.as_of} {self.balance}"


class ImportJobQuerySet(ScopedQuerySet):
    district_path = "center__village__subdistrict__district"


class ImportJob(models.Model):
    """One upload of a center's registry: its progress (polled by the page) and, when refused, its errors.

    The uploaded file itself is never stored: it holds personal data and is read once, in the request.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the rows")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("center"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    households_created = models.PositiveIntegerField(_("households added"), default=0)
    lines_created = models.PositiveIntegerField(_("debt lines added"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    objects = ImportJobQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        # Checking is most of the work; saving is shown as the last tenth.
        checked = 90 * self.checked_rows // self.total_rows
        return checked + (5 if self.status == self.Status.SAVING else 0)
