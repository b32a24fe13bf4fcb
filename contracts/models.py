"""One household, one contract (1 ครัวเรือน 1 สัญญา): the center pays off a household's scattered debts with
capital lent by its member funds, and the household repays one contract.

A contract holds one tranche per lending fund (each with its own rate and method), the payoffs to the
creditors it consolidated, and, once signed, its schedule. Savings are tied to borrowing by the center's
savings rule (กู้มาก ออมมาก). Amounts are Decimal baht with 2 places; the database checks them too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centers.models import Center, MemberFund
from core.scoping import ScopedQuerySet, editable_q
from debts.models import DebtLine
from households.models import MONEY, ZERO, Household, NationalIdHolder, PersonalDataQuerySet

from .calculations import Method, PayoffRule

PERCENT = {"max_digits": 6, "decimal_places": 2}
PAYOFF_RULES = [
    (PayoffRule.INSTALMENT.value, _("The current instalment's scheduled interest")),
    (PayoffRule.TO_DATE.value, _("Interest to the payoff date")),
]


def late_payment_clause_field() -> models.TextField:
    return models.TextField(
        _("late-payment clause"),
        max_length=1000,
        blank=True,
        help_text=_(
            "What the center does when an instalment is late (the fee or interest on the late amount, when "
            "the committee calls the household and its guarantors), printed on each contract."
        ),
    )


def payoff_rule_field() -> models.CharField:
    return models.CharField(
        _("interest on a payoff"),
        max_length=10,
        choices=PAYOFF_RULES,
        default=PayoffRule.INSTALMENT.value,
        db_default=PayoffRule.INSTALMENT.value,  # rows written in bulk (bench data) get it too
        help_text=_(
            "What interest a household pays when it pays off its contract before the term: the scheduled "
            "interest of the current instalment, or the interest to the payoff date by the days elapsed."
        ),
    )


# --- the savings rule ---------------------------------------------------------------------------------


class SavingsRuleQuerySet(ScopedQuerySet):
    district_path = "center__village__subdistrict__district"


class SavingsRule(models.Model):
    """A center's rule for savings tied to borrowing. The monthly saving due is the largest of the tier for
    the principal and the share of the instalment; the minimum stock guards withdrawals."""

    center = models.OneToOneField(
        Center, on_delete=models.PROTECT, related_name="savings_rule", verbose_name=_("center")
    )
    instalment_share = models.DecimalField(
        _("share of the instalment (%)"),
        **PERCENT,
        default=Decimal("0.00"),
        help_text=_("The monthly saving is at least this share of the monthly instalment."),
    )
    minimum_stock_share = models.DecimalField(
        _("minimum savings stock (percent of the principal)"),
        **PERCENT,
        default=Decimal("0.00"),
        help_text=_("A withdrawal that leaves less than this share of the principal needs a reason."),
    )
    payoff_rule = payoff_rule_field()
    late_payment_clause = late_payment_clause_field()

    objects = SavingsRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("savings rule")
        verbose_name_plural = _("savings rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(instalment_share__gte=0, instalment_share__lte=100)
                & Q(minimum_stock_share__gte=0, minimum_stock_share__lte=100),
                name="savings_rule_shares_are_percentages",
                violation_error_message=_("A share is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(payoff_rule__in=PayoffRule), name="savings_rule_payoff_rule_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center}"


class SavingsTierQuerySet(ScopedQuerySet):
    district_path = "rule__center__village__subdistrict__district"


class SavingsTier(models.Model):
    """From this principal up (to the next tier), the household saves at least this much a month."""

    rule = models.ForeignKey(
        SavingsRule, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("rule")
    )
    principal_from = models.DecimalField(_("principal from (baht)"), **MONEY)
    monthly_saving = models.DecimalField(_("monthly saving (baht)"), **MONEY)

    objects = SavingsTierQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_id", "principal_from"]
        verbose_name = _("savings tier")
        verbose_name_plural = _("savings tiers")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "principal_from"],
                name="savings_tier_unique_band",
                violation_error_message=_("This rule already has a tier starting at this principal."),
            ),
            models.CheckConstraint(
                condition=Q(principal_from__gte=0, monthly_saving__gte=0),
                name="savings_tier_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal_from} → {self.monthly_saving}"


# --- the contract ---------------------------------------------------------------------------------------


class ContractQuerySet(PersonalDataQuerySet):
    district_path = "center__village__subdistrict__district"

    def active(self):
        return self.filter(status=Contract.Status.ACTIVE)

    def with_principal(self):
        """Each contract with `principal_total`, the sum of its tranches (what `Contract.principal` sums in
        Python), read in the same query rather than by prefetching the tranches."""
        tranches = Tranche.objects.filter(contract=OuterRef("pk")).order_by().values("contract")
        return self.annotate(
            principal_total=Coalesce(
                Subquery(tranches.annotate(total=Sum("principal")).values("total")),
                Value(ZERO),
                output_field=models.DecimalField(**MONEY),
            )
        )

    def with_user_may_edit(self, user: Any):
        """Each contract with `user_may_edit`: whether `user` may edit it (the rule of `editable_by`), read
        in the same query rather than one more."""
        # Case rather than the bare condition: a rule that lets the user edit nothing compiles to a constant,
        # which PostgreSQL would return as 0 rather than False.
        return self.annotate(
            user_may_edit=Case(
                When(editable_q(user, self.district_path), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


class Contract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        RESTRUCTURED = "restructured", _("Restructured")
        CANCELLED = "cancelled", _("Cancelled")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("household")
    )
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("center")
    )
    number = models.CharField(_("contract number"), max_length=20)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    first_due_on = models.DateField(_("first instalment due"))
    monthly_saving = models.DecimalField(_("monthly saving due (baht)"), **MONEY, default=ZERO)
    payoff_rule = payoff_rule_field()  # the center's rule when the contract was drawn up, printed on it
    late_payment_clause = late_payment_clause_field()  # the same: the center's clause at the draw-up
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    drawn_up_on = models.DateField(_("drawn up on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    restructured_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restructured_into",
        verbose_name=_("restructures contract"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn up by")
    )
    # a draft cancelled before signing keeps its number and its terms, marked cancelled (who: the history)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancellation_reason = models.CharField(_("reason for the cancellation"), max_length=300, blank=True)
    # at the draw-up: what the household would pay a month (instalment, saving, debts left outside) against
    # its budget's surplus, and the officer's reason to go on when it was more
    affordability_burden = models.DecimalField(
        _("monthly payments at the draw-up (baht)"), **MONEY, null=True, blank=True
    )
    affordability_surplus = models.DecimalField(
        _("budget surplus at the draw-up (baht)"), **MONEY, null=True, blank=True
    )
    affordability_reason = models.CharField(_("reason to go on above the budget"), max_length=300, blank=True)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["center_id", "number", "pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="active"),
                name="contract_one_active_per_household",
                violation_error_message=_("This household already has an active contract."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="draft"),
                name="contract_one_draft_per_household",
                violation_error_message=_("This household already has a draft contract."),
            ),
            models.UniqueConstraint(
                fields=["center", "number"],
                name="contract_unique_number_in_center",
                violation_error_message=_("This center already has a contract with this number."),
            ),
            models.CheckConstraint(
                condition=Q(term_months__gte=1, term_months__lte=360),
                name="contract_term_1_to_360_months",
                violation_error_message=_("The term is between 1 and 360 months."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_saving__gte=0),
                name="contract_saving_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(payoff_rule__in=PayoffRule), name="contract_payoff_rule_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"], signed_on__isnull=True)
                | ~Q(status__in=["draft", "cancelled"]) & Q(signed_on__isnull=False),
                name="contract_signed_unless_draft",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["closed", "restructured"], closed_on__isnull=False)
                | Q(status__in=["draft", "active", "cancelled"], closed_on__isnull=True),
                name="contract_closed_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_on__isnull=False) & ~Q(cancellation_reason="")
                | ~Q(status="cancelled") & Q(cancelled_on__isnull=True),
                name="contract_cancelled_has_a_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(affordability_burden__isnull=True)
                | Q(affordability_surplus__isnull=True)
                | Q(affordability_burden__lte=F("affordability_surplus"))
                | ~Q(affordability_reason=""),
                name="contract_above_budget_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def principal(self) -> Decimal:
        """The sum of the tranches (prefetch `tranches` on lists)."""
        return sum((tranche.principal for tranche in self.tranches.all()), ZERO)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def drawn_up_above_budget(self) -> bool:
        return (
            self.affordability_burden is not None
            and self.affordability_surplus is not None
            and self.affordability_burden > self.affordability_surplus
        )


class ContractPartQuerySet(PersonalDataQuerySet):
    district_path = "contract__center__village__subdistrict__district"


class Tranche(models.Model):
    """The part of a contract lent by one member fund of the contract's center, at that fund's terms."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("contract")
    )
    fund = models.ForeignKey(MemberFund, on_delete=models.PROTECT, related_name="+", verbose_name=_("fund"))
    principal = models.DecimalField(_("principal (baht)"), **MONEY)
    annual_rate = models.DecimalField(_("interest rate (% a year)"), max_digits=7, decimal_places=3)
    method = models.CharField(
        _("interest method"),
        max_length=10,
        choices=[(Method.FLAT.value, _("Flat rate")), (Method.DECLINING.value, _("Declining balance"))],
    )

    objects = ContractPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract_id", "pk"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "fund"],
                name="tranche_one_per_fund",
                violation_error_message=_("A fund lends at most one tranche of a contract."),
            ),
            models.CheckConstraint(
                condition=Q(principal__gt=0, annual_rate__gte=0, annual_rate__lte=100),
                name="tranche_principal_positive_rate_plausible",
                violation_error_message=_(
                    "A tranche lends a positive principal at a rate from 0 to 100% a year."
                ),
            ),
            models.CheckConstraint(condition=Q(method__in=Method), name="tranche_method_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.principal}"


class Payoff(models.Model):
    """What the center pays a creditor of the household's registry to close that debt."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="payoffs", verbose_name=_("contract")
    )
    debt_line = models.ForeignKey(
        DebtLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("debt")
    )
    amount = models.DecimalField(_("amount paid to the creditor (baht)"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt = models.CharField(_("creditor's receipt"), max_length=60, blank=True)
    # an informal lender (money lender, relatives, shop) often gives no receipt: a witness's statement instead
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    witness_statement = models.TextField(_("witness statement"), max_length=1000, blank=True)

    objects = ContractPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract_id", "pk"]
        verbose_name = _("creditor payoff")
        verbose_name_plural = _("creditor payoffs")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "debt_line"],
                name="payoff_one_per_debt",
                violation_error_message=_("This debt is already paid off by the contract."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payoff_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(  # a payoff paid is evidenced by a receipt or by a witness statement
                condition=Q(paid_on__isnull=True)
                | ~Q(receipt="")
                | ~Q(witness_name="") & ~Q(witness_statement=""),
                name="payoff_paid_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debt_line_id} {self.amount}"

    @property
    def evidence(self) -> str:
        """The receipt number, or the witness's name for a payoff evidenced by a statement."""
        return self.receipt or self.witness_name


class Guarantor(NationalIdHolder):
    """A person who guarantees the contract (ผู้ค้ำประกัน), named on the contract as signed. The national ID is
    kept as a household's is: encrypted, with a keyed hash, shown masked."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="guarantors", verbose_name=_("contract")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    relation = models.CharField(_("relation to the borrower"), max_length=100)

    objects = ContractPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract_id", "pk"]
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "national_id_hash"],
                name="guarantor_once_per_contract",
                violation_error_message=_("This person is already a guarantor of the contract."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class ScheduledInstalment(models.Model):
    """One tranche's part of one instalment, written when the contract is signed; never edited."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("contract")
    )
    tranche = models.ForeignKey(
        Tranche, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("tranche")
    )
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    principal = models.DecimalField(_("principal (baht)"), **MONEY)
    interest = models.DecimalField(_("interest (baht)"), **MONEY)
    balance = models.DecimalField(_("balance after (baht)"), **MONEY)

    objects = ContractPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract_id", "number", "tranche_id"]
        verbose_name = _("scheduled instalment")
        verbose_name_plural = _("scheduled instalments")
        constraints = [
            models.UniqueConstraint(fields=["tranche", "number"], name="instalment_unique_per_tranche"),
            models.CheckConstraint(
                condition=Q(principal__gte=0, interest__gte=0, balance__gte=0, number__gte=1),
                name="instalment_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number}"


# --- the repayment and savings ledgers ------------------------------------------------------------------


class Repayment(models.Model):
    """One payment on a contract, or the reversal of one (a negative entry naming the payment it reverses).

    Never edited nor deleted. `token` comes from the form: the same form sent twice records one payment.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("contract")
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    receipt_number = models.CharField(_("receipt number"), max_length=30)
    token = models.UUIDField(_("form token"), unique=True, editable=False)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    closes_contract = models.BooleanField(_("closes the contract"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ContractPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract_id", "paid_on", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="repayment_positive_or_reversal_negative",
                violation_error_message=_("A payment is more than zero; only a reversal is negative."),
            ),
            models.UniqueConstraint(
                fields=["contract", "receipt_number"],
                name="repayment_unique_receipt_number",
                violation_error_message=_("This receipt number is already used."),
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class RepaymentLine(models.Model):
    """The part of a repayment that went to one tranche's interest and principal (same sign as it)."""

    repayment = models.ForeignKey(
        Repayment, on_delete=models.PROTECT, related_name="lines", verbose_name=_("repayment")
    )
    tranche = models.ForeignKey(
        Tranche, on_delete=models.PROTECT, related_name="repayment_lines", verbose_name=_("tranche")
    )
    interest = models.DecimalField(_("interest (baht)"), **MONEY)
    principal = models.DecimalField(_("principal (baht)"), **MONEY)

    objects = PersonalDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["repayment_id", "tranche_id"]
        verbose_name = _("repayment line")
        verbose_name_plural = _("repayment lines")
        constraints = [
            models.UniqueConstraint(fields=["repayment", "tranche"], name="repayment_line_one_per_tranche"),
            models.CheckConstraint(
                condition=Q(interest__gte=0, principal__gte=0) | Q(interest__lte=0, principal__lte=0),
                name="repayment_line_one_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.repayment_id} {self.tranche_id}"


class SavingsEntry(models.Model):
    """A deposit (positive) or a withdrawal (negative) of the household's savings under its contract.

    Never edited nor deleted. A withdrawal that leaves less than the center's minimum stock carries the
    reason and the user who authorised it.
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="savings", verbose_name=_("contract")
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authorised by"),
    )
    token = models.UUIDField(_("form token"), unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ContractPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract_id", "on", "pk"]
        verbose_name = _("savings entry")
        verbose_name_plural = _("savings entries")
        permissions = [("authorise_withdrawal", "Can authorise a savings withdrawal below the rule")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="deposit", amount__gt=0) | Q(kind="withdrawal", amount__lt=0),
                name="savings_entry_sign_follows_kind",
                violation_error_message=_("A deposit adds and a withdrawal takes a positive amount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.on} {self.amount}"


# --- receipts -------------------------------------------------------------------------------------------


class ReceiptSeries(models.Model):
    """The last receipt number a center issued in a fiscal year. Its row is locked (`select_for_update`)
    while the next number is taken, so two payments recorded at once in one center never share a number;
    it is always the last lock a ledger write takes (after the center's and the contract's)."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("center"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("receipt series")
        verbose_name_plural = _("receipt series")
        constraints = [
            models.UniqueConstraint(fields=["center", "fiscal_year"], name="receipt_series_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.fiscal_year}: {self.last}"


class ReceiptQuerySet(PersonalDataQuerySet):
    district_path = "center__village__subdistrict__district"


class Receipt(models.Model):
    """The receipt (ใบเสร็จรับเงิน) of one payment or one savings entry: numbered in one sequence per center
    and fiscal year (BE, from 1 October), payments and savings alike, in the order they were recorded.
    A reversal takes no number: it cancels the receipt of the payment it reverses."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("center"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    repayment = models.OneToOneField(
        Repayment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt",
        verbose_name=_("repayment"),
    )
    savings_entry = models.OneToOneField(
        SavingsEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt",
        verbose_name=_("savings entry"),
    )

    objects = ReceiptQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["center_id", "fiscal_year", "sequence"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "fiscal_year", "sequence"],
                name="receipt_unique_number_in_center_year",
                violation_error_message=_("This receipt number is already used."),
            ),
            models.CheckConstraint(
                condition=Q(repayment__isnull=False, savings_entry__isnull=True)
                | Q(repayment__isnull=True, savings_entry__isnull=False),
                name="receipt_for_one_entry",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="receipt_sequence_from_one"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return receipt_number(self.fiscal_year, self.sequence)


def receipt_number(fiscal_year: int, sequence: int) -> str:
    """A receipt's printed number: "<fiscal year BE>-<5-digit sequence>", e.g. 2569-00012."""
    return f"{fiscal_year}-{sequence:05d}"
