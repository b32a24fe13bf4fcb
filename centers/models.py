"""Community fund management centers (ศูนย์จัดการกองทุนชุมชน) and what a center is made of:
its member funds, committee, occupational groups and recognitions.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from geography.models import Village

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class CenterQuerySet(ScopedQuerySet):
    district_path = "village__subdistrict__district"

    def with_area(self):
        return self.select_related("village__subdistrict__district__province")

    def with_managed_capital(self):
        """Annotate `managed_capital` (see `MemberFund.in_managed_capital` for what it counts).

        A subquery per center rather than a join and GROUP BY: a page of 25 centers sums 25 centers' funds,
        not those of every center the filters let through.
        """
        capital = (
            MemberFund.objects.filter(center=OuterRef("pk"))
            .counted_in_managed_capital()
            .order_by()
            .values("center")
            .annotate(total=Sum("capital"))
            .values("total")
        )
        return self.annotate(
            managed_capital=Coalesce(
                Subquery(capital), Value(ZERO), output_field=models.DecimalField(**MONEY)
            )
        )


class Center(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("center name"), max_length=200)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="centers", verbose_name=_("village")
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded (BE)"), help_text=_("Buddhist Era year, for example 2560.")
    )
    founded_on = models.DateField(_("date founded"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    members = models.PositiveIntegerField(
        _("members of the center"),
        null=True,
        blank=True,
        help_text=_(
            "Distinct people in the center's register of members, each counted once however many funds "
            "they belong to. The funds' own member counts overlap and are not added up."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = CenterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="center_unique_name_in_village",
                violation_error_message=_("This village already has a center with this name."),
            ),
            models.CheckConstraint(
                condition=Q(founded_year__gte=2400, founded_year__lte=2700),
                name="center_founded_year_is_be",
                violation_error_message=_("The founding year must be a Buddhist Era year, such as 2560."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district_id(self) -> str:
        return self.village.subdistrict.district_id


class CenterPartQuerySet(ScopedQuerySet):
    """Rows that belong to one center (funds, committee members, groups, recognitions)."""

    district_path = "center__village__subdistrict__district"


class FundType(models.TextChoices):
    SAVINGS_GROUP = "savings_group", _("Savings group for production")
    RICE_BANK = "rice_bank", _("Rice bank / rice-seed fund")
    VILLAGE_FUND = "village_fund", _("Village and urban community fund")
    WOMEN_FUND = "women_fund", _("Women's development fund")
    KKKJ = "kkkj", _("Poverty alleviation fund (กข.คจ.)")
    WELFARE_FUND = "welfare_fund", _("Community welfare fund")
    FINANCIAL_INSTITUTION = "financial_institution", _("Community financial institution")
    OCCUPATIONAL_GROUP = "occupational_group", _("Occupational group")
    OTHER = "other", _("Other")


class RateUnit(models.TextChoices):
    PER_YEAR = "year", _("% per year")
    PER_MONTH = "month", _("% per month")


RATE_UNITS_PER_YEAR = {RateUnit.PER_YEAR: 1, RateUnit.PER_MONTH: 12}
# A rate above this (as % a year) must be confirmed by the person entering it.
PLAUSIBLE_RATE_PER_YEAR = Decimal("100")


class MemberFundQuerySet(CenterPartQuerySet):
    def counted_in_managed_capital(self):
        """The funds whose capital makes up their center's managed capital: the one definition that the
        center page (`managed_capital`), the center list and export, the dashboards and their rollups use."""
        return self.filter(**{MANAGED_CAPITAL_FLAG: True})


# The column that decides whether a fund's capital counts in its center's managed capital (raw SQL uses it).
MANAGED_CAPITAL_FLAG = "in_managed_capital"


def managed_capital(funds: Iterable["MemberFund"]) -> Decimal:
    """The managed capital of already-read funds of one center (the same rule as the queryset's)."""
    return sum((fund.capital for fund in funds if getattr(fund, MANAGED_CAPITAL_FLAG)), ZERO)


class MemberFund(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="funds", verbose_name=_("center")
    )
    fund_type = models.CharField(_("type of fund"), max_length=24, choices=FundType.choices)
    name = models.CharField(_("fund name"), max_length=200)
    is_core = models.BooleanField(_("core fund of the center"), default=False)
    holds_money = models.BooleanField(
        _("holds money"),
        default=True,
        help_text=_("Groups without money do not count in the managed capital."),
    )
    in_managed_capital = models.BooleanField(
        _("counted in managed capital"),
        default=True,
        help_text=_(
            "Untick for a fund whose money the center does not manage (for example groups listed with it "
            "that keep their own books). Whether the fund lends is a separate matter."
        ),
    )
    capital_note = models.CharField(
        _("why it is or is not counted"),
        max_length=200,
        blank=True,
        help_text=_("A short note shown beside the fund, for example the handbook's reason."),
    )
    funds_in_row = models.PositiveSmallIntegerField(
        _("number of funds in this row"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "More than 1 when one row stands for several small funds or groups, as handbooks list them."
        ),
    )
    capital = models.DecimalField(_("capital (baht)"), **MONEY, default=ZERO)
    capital_as_of = models.DateField(_("capital as of"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members"), default=0)
    lending_rate = models.DecimalField(
        _("lending rate"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    rate_unit = models.CharField(_("rate unit"), max_length=5, choices=RateUnit.choices, blank=True)

    objects = MemberFundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_core", "-capital", "pk"]
        verbose_name = _("member fund")
        verbose_name_plural = _("member funds")
        constraints = [
            models.CheckConstraint(
                condition=Q(capital__gte=0),
                name="fund_capital_not_negative",
                violation_error_message=_("The capital cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(lending_rate__isnull=True)
                | Q(lending_rate__gte=0, rate_unit__in=["year", "month"]),
                name="fund_rate_has_unit_and_is_not_negative",
                violation_error_message=_("A lending rate needs its unit and cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(holds_money=True) | Q(capital=0),
                name="fund_without_money_has_no_capital",
                violation_error_message=_("A group that holds no money cannot have capital."),
            ),
            models.CheckConstraint(
                condition=Q(holds_money=True) | Q(in_managed_capital=False),
                name="fund_without_money_not_in_managed_capital",
                violation_error_message=_("A group that holds no money cannot count in the managed capital."),
            ),
            models.CheckConstraint(condition=Q(funds_in_row__gte=1), name="fund_row_stands_for_a_fund"),
            models.UniqueConstraint(
                fields=["center", "name"],
                name="fund_unique_name_in_center",
                violation_error_message=_("This center already has a fund with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def capital_reason(self) -> str:
        """Why the fund's capital is or is not in the managed capital, in a few words for its row."""
        if self.capital_note:
            return self.capital_note
        if self.in_managed_capital:
            return str(_("counted: the center manages this money"))
        if not self.holds_money:
            return str(_("not counted: holds no money"))
        return str(_("not counted: the center does not manage this money"))

    @property
    def annual_rate(self) -> Decimal | None:
        """The lending rate as % a year (a monthly rate times 12), or None when the fund has none."""
        if self.lending_rate is None or not self.rate_unit:
            return None
        return self.lending_rate * RATE_UNITS_PER_YEAR[self.rate_unit]


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    ASSISTANT_SECRETARY = "assistant_secretary", _("Assistant secretary")
    TREASURER = "treasurer", _("Treasurer")
    ASSISTANT_TREASURER = "assistant_treasurer", _("Assistant treasurer")
    MEMBER = "member", _("Committee member")
    AUDITOR = "auditor", _("Auditor")
    ADVISOR = "advisor", _("Advisor")


ROLE_ORDER = {role: index for index, role in enumerate(CommitteeRole.values)}


class CommitteeMember(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="committee", verbose_name=_("center")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=CommitteeRole.choices)
    fund = models.ForeignKey(
        MemberFund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("fund represented"),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = CenterPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["term_start", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="committee_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            # The database backs the service's overlap check for the common case: one open-ended chair.
            models.UniqueConstraint(
                fields=["center"],
                condition=Q(role="chair", term_end__isnull=True),
                name="committee_one_open_chair_per_center",
                violation_error_message=_("This center already has a chair for this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    def is_serving_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    def clean(self) -> None:
        """A term ends after it starts; the fund is the center's own; one chair at any time."""
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})
        if self.fund_id and self.center_id and self.fund.center_id != self.center_id:
            raise ValidationError({"fund": _("The fund must be one of this center's member funds.")})
        chair = self._overlapping_chair() if self.role == CommitteeRole.CHAIR and self.center_id else None
        if chair:
            raise ValidationError(
                {
                    "role": _(
                        "This center already has a chair for this period: %(name)s. End that term first."
                    )
                    % {"name": chair.full_name}
                }
            )

    def _overlapping_chair(self) -> "CommitteeMember | None":
        if not self.term_start:
            return None
        others = CommitteeMember.objects.filter(center_id=self.center_id, role=CommitteeRole.CHAIR)
        overlapping = others.exclude(pk=self.pk).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=self.term_start)
        )
        if self.term_end:
            overlapping = overlapping.filter(term_start__lte=self.term_end)
        return overlapping.first()


class OccupationalGroup(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="occupational_groups", verbose_name=_("center")
    )
    name = models.CharField(_("group name"), max_length=200)
    product = models.CharField(_("product or activity"), max_length=200)
    members = models.PositiveIntegerField(_("members"), default=0)
    supporting_funds = models.ManyToManyField(
        MemberFund, blank=True, related_name="supported_groups", verbose_name=_("supporting funds")
    )

    objects = CenterPartQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[supporting_funds])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("occupational group")
        verbose_name_plural = _("occupational groups")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"],
                name="group_unique_name_in_center",
                violation_error_message=_("This center already has a group with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupRevenueQuerySet(ScopedQuerySet):
    district_path = "group__center__village__subdistrict__district"


class GroupRevenue(models.Model):
    """An occupational group's revenue in one fiscal year."""

    group = models.ForeignKey(
        OccupationalGroup, on_delete=models.PROTECT, related_name="revenues", verbose_name=_("group")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    revenue = models.DecimalField(_("revenue (baht)"), **MONEY)

    objects = GroupRevenueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("yearly revenue")
        verbose_name_plural = _("yearly revenues")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "fiscal_year"],
                name="revenue_one_per_group_and_year",
                violation_error_message=_("This group already has revenue for this fiscal year."),
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0),
                name="revenue_not_negative",
                violation_error_message=_("The revenue cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.fiscal_year}"


class Recognition(models.Model):
    class Level(models.TextChoices):
        PROVINCE_OUTSTANDING = "province_outstanding", _("Outstanding center of the province")
        DEPARTMENT_MODEL = "department_model", _("Model center of the department")

    class Stage(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        SELECTED = "selected", _("Selected")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("center")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    level = models.CharField(_("level"), max_length=24, choices=Level.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)

    objects = CenterPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "level"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "fiscal_year", "level"],
                name="recognition_one_per_center_year_level",
                violation_error_message=_("This center already has this recognition for this fiscal year."),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700),
                name="recognition_fiscal_year_is_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.fiscal_year} ({self.get_stage_display()})"
