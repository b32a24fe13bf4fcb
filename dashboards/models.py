"""Summary tables behind the dashboards, kept in step with every write (see `dashboards/rollups.py`).

`AreaMonth` holds one row per center and month (the center's own figures) and one row per district and month
(the sum of its centers' rows). Stocks are as at the end of the month; flows are what happened during it.
Every center and district has a row for every month from its first to the current one (`CarriedMonth`
records the months every area was carried into). Provinces and the nation have no `AreaMonth` rows, so that
no write waits on a row that writes elsewhere in the country change too: a province's figures are the sum of
its `ProvinceMonth` rows, which writes only append to (see its docstring), and the nation's the sum of all of
them (`dashboards/selectors.py`).

`AreaDue` holds what depends on today's date rather than on a write, for centers and districts: the principal
owed by active contracts keyed by the due date of their oldest unpaid instalment (arrears and PAR30 on any
day), and the open recommendations keyed by their due date (overdue on any day). A district files the due
dates more than 30 days before the current month's start under one date per kind (`rollups.folded`): from
then on they count alike on every day.

`ProvinceDue` holds the provinces' due dates for the national page in the same way.

All five are derived data: never edited by hand, rebuilt by `rebuild_rollups`, checked by `verify_rollups`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

AREA_MONEY = {"max_digits": 18, "decimal_places": 2, "default": Decimal("0.00")}


class Level(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    CENTER = "center", _("Center")


NATION_CODE = "TH"

# The figures of an AreaMonth row, in order: stocks at the end of the month, then flows during it.
STOCKS = (
    "centers_active",
    "capital",
    "households_surveyed",
    "households_target",
    "households_enrolled",
    "households_debt_free",
    "households_withdrawn",
    "households_debt_reduced",  # enrolled or debt-free households whose debt now is below their baseline
    "debt_at_enrolment",
    "debt_at_enrolment_formal",
    "debt_at_enrolment_community",
    "debt_at_enrolment_informal",
    "debt_now",
    "debt_now_formal",
    "debt_now_community",
    "debt_now_informal",
    "informal_cleared",
    # Registry balances: what the debt lines of every household of the area say (each line's latest balance
    # by the month end), by creditor sector: the household list's totals. Not the debt after consolidation.
    "registry_balance",
    "registry_formal",
    "registry_community",
    "registry_informal",
    "contracts_active",
    "contract_outstanding",
    "par30_outstanding",  # principal owed by contracts more than 30 days past due at the end of the month
    "savings",
    "recommendations_open",
)
FLOWS = (
    # Counted once per center and fiscal year, so that their sum over a fiscal year's months counts centers
    # and needs no row for months without writes: recognised (selected) for the fiscal year, in its first
    # month (or the center's first month when later); visited, in the month of its first visit of the year.
    "centers_recognised",
    "centers_visited_fy",
    "visits",
    "recommendations_made",
    "households_enrolled_in_month",
    "households_debt_free_in_month",
    "repaid_principal",
    "repaid_interest",
    "saved",
    "withdrawn",
)
FIGURES = STOCKS + FLOWS
MONEY_FIGURES = frozenset(
    {
        "capital",
        "debt_at_enrolment",
        "debt_at_enrolment_formal",
        "debt_at_enrolment_community",
        "debt_at_enrolment_informal",
        "debt_now",
        "debt_now_formal",
        "debt_now_community",
        "debt_now_informal",
        "informal_cleared",
        "registry_balance",
        "registry_formal",
        "registry_community",
        "registry_informal",
        "contract_outstanding",
        "par30_outstanding",
        "savings",
        "repaid_principal",
        "repaid_interest",
        "saved",
        "withdrawn",
    }
)


def month_figures(name: str, count_field: type[models.Field]) -> type[models.Model]:
    """An abstract model holding FIGURES as fields: the money ones as AREA_MONEY, the others as `count_field`
    (AreaMonth's counts are never negative; ProvinceMonth's rows are signed differences)."""
    fields = {
        figure: models.DecimalField(**AREA_MONEY) if figure in MONEY_FIGURES else count_field(default=0)
        for figure in FIGURES
    }
    meta = type("Meta", (), {"abstract": True})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


class AreaMonth(month_figures("AreaMonthFigures", models.PositiveIntegerField)):
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    code = models.CharField(_("area code"), max_length=12)  # district code or center id
    parent_code = models.CharField(_("parent area code"), max_length=12, blank=True)
    month = models.DateField(_("month"))  # the first day of the month

    class Meta:
        verbose_name = _("area figures for a month")
        verbose_name_plural = _("area figures by month")
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "month"], name="areamonth_unique"),
        ]
        indexes = [
            models.Index(fields=["level", "parent_code", "month"], name="areamonth_children"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.month:%Y-%m}"


class DueKind(models.TextChoices):
    ARREARS = "arrears", _("Principal owed, by the oldest unpaid due date")
    RECOMMENDATION = "recommendation", _("Open recommendations, by due date")


class AreaDue(models.Model):
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    code = models.CharField(_("area code"), max_length=12)
    parent_code = models.CharField(_("parent area code"), max_length=12, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DueKind.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)  # null: a recommendation with no due date
    amount = models.DecimalField(**AREA_MONEY)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("amount due on a date")
        verbose_name_plural = _("amounts due by date")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "kind", "due_on"], name="areadue_unique", nulls_distinct=False
            ),
        ]
        indexes = [
            models.Index(fields=["level", "parent_code", "kind"], name="areadue_children"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.kind} {self.due_on}"


class ProvinceDue(models.Model):
    """A province's amounts due by date, for the national page, kept so that no write waits for another:
    a write only appends its differences (`merged` false) and never changes a row;
    `rollups.merge_province_dues` replaces all the rows with one per key (`merged` true), at the month's
    carry and when a reader finds more than `rollups.MERGE_AFTER` appended rows. A province's figure is the
    sum of all its rows: the same as the sum of its districts' `AreaDue` rows (`verify_rollups` checks)."""

    code = models.CharField(_("province code"), max_length=12)
    kind = models.CharField(_("kind"), max_length=16, choices=DueKind.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)  # null: a recommendation with no due date
    amount = models.DecimalField(**AREA_MONEY)  # a difference may be negative
    count = models.IntegerField(default=0)
    merged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("province amount due on a date")
        verbose_name_plural = _("province amounts due by date")

    def __str__(self) -> str:
        return f"{self.code} {self.kind} {self.due_on}"


class ProvinceMonth(month_figures("ProvinceMonthFigures", models.IntegerField)):
    """A province's figures by month, for the national page, kept as `ProvinceDue` is: a write appends the
    differences it made to its district's rows (`merged` false) and never changes a row; the month's carry
    writes each province's row for the new month from its districts, and `rollups.merge_province_months`
    replaces the rows with one per province and month (`merged` true), at the carry and when a reader finds
    more than `rollups.MERGE_AFTER` appended. A province's figures for a month are the sum of its rows for
    it: the same as the sum of its districts' `AreaMonth` rows (`verify_rollups` checks). The figures are
    `AreaMonth`'s, signed (a difference may be negative)."""

    code = models.CharField(_("province code"), max_length=12)
    month = models.DateField(_("month"))  # the first day of the month
    merged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("province figures for a month")
        verbose_name_plural = _("province figures by month")
        indexes = [models.Index(fields=["month", "code"], name="provincemonth_month")]

    def __str__(self) -> str:
        return f"{self.code} {self.month:%Y-%m}"


class CarriedMonth(models.Model):
    """A month into which every center and district was carried (`rollups.carry_into_current_month`): from
    then on each has its row for that month, with the figures that move with the calendar alone (PAR30 at
    the month's end, a center founded during it, the fiscal year's recognitions) computed for it."""

    month = models.DateField(_("month"), unique=True)  # the first day of the month
    carried_at = models.DateTimeField(_("carried at"), auto_now_add=True)
    centers = models.PositiveIntegerField(_("centers carried"), default=0)

    class Meta:
        verbose_name = _("month carried into the summary tables")
        verbose_name_plural = _("months carried into the summary tables")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
