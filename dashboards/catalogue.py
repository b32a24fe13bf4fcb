"""The figure catalogue of the dashboards: every figure shown, in order and grouped, with its label, its kind
(baht, count, percent) and the date it is about (the end of the period, during it, or today only); the
columns of the ranking of the areas one level down; the debt sectors; and how a figure is written.
`dashboards/series.py` computes the figures, `dashboards/views.py` lays them out.

Each figure's one name and the line saying what it counts live in `core/figures.py` (`NAMES`, `COUNTS`), low
enough in the layers for every app's templates (`{% load figures %}{% figure_label "registry_balance" %}`):
the household list, the center page and the arrears page name their figures as the dashboards do."""

from typing import Any

from django.utils.translation import gettext_lazy

from core.figures import NAMES
from core.thai import format_baht

MONEY, COUNT, PERCENT = "money", "count", "percent"
STOCK, FLOW, NOW = "stock", "flow", "now"  # as at the end of the period, during it, or today only

# (key, label, kind, when): every figure shown, in order, grouped. `when` says which date it is about.
SECTIONS: list[tuple[Any, list[tuple[str, Any, str, str]]]] = [
    (gettext_lazy("Centers"), [
        ("centers_active", NAMES["centers_active"], COUNT, STOCK),
        ("centers_recognised", NAMES["centers_recognised"], COUNT, STOCK),
        ("capital", NAMES["capital"], MONEY, STOCK),
    ]),
    (gettext_lazy("Households"), [
        ("households_surveyed", NAMES["households_surveyed"], COUNT, STOCK),
        ("households_target", NAMES["households_target"], COUNT, STOCK),
        ("households_in_programme", NAMES["households_in_programme"], COUNT, STOCK),
        ("households_enrolled", NAMES["households_enrolled"], COUNT, STOCK),
        ("households_debt_reduced", NAMES["households_debt_reduced"], COUNT, STOCK),
        ("households_debt_free", NAMES["households_debt_free"], COUNT, STOCK),
        ("households_enrolled_in_month", NAMES["households_enrolled_in_month"], COUNT, FLOW),
        ("households_debt_free_in_month", NAMES["households_debt_free_in_month"], COUNT, FLOW),
    ]),
    (gettext_lazy("Debt"), [
        ("debt_at_enrolment", NAMES["debt_at_enrolment"], MONEY, STOCK),
        ("debt_now", NAMES["debt_now"], MONEY, STOCK),
        ("debt_reduced", NAMES["debt_reduced"], MONEY, STOCK),
        ("debt_reduced_pct", NAMES["debt_reduced_pct"], PERCENT, STOCK),
        ("informal_cleared", NAMES["informal_cleared"], MONEY, STOCK),
        ("registry_balance", NAMES["registry_balance"], MONEY, STOCK),
    ]),
    (gettext_lazy("Contracts, repayment and savings"), [
        ("contracts_active", NAMES["contracts_active"], COUNT, STOCK),
        ("contract_outstanding", NAMES["contract_outstanding"], MONEY, STOCK),
        ("on_time", NAMES["on_time"], MONEY, NOW),
        ("overdue", NAMES["overdue"], MONEY, NOW),
        ("contracts_overdue", NAMES["contracts_overdue"], COUNT, NOW),
        ("par30", NAMES["par30"], MONEY, STOCK),
        ("par30_pct", NAMES["par30_pct"], PERCENT, STOCK),
        ("repaid_principal", NAMES["repaid_principal"], MONEY, FLOW),
        ("repaid_interest", NAMES["repaid_interest"], MONEY, FLOW),
        ("savings", NAMES["savings"], MONEY, STOCK),
        ("saved", NAMES["saved"], MONEY, FLOW),
        ("withdrawn", NAMES["withdrawn"], MONEY, FLOW),
    ]),
    (gettext_lazy("Monitoring"), [
        ("visits", NAMES["visits"], COUNT, FLOW),
        ("centers_not_visited", NAMES["centers_not_visited"], COUNT, STOCK),
        ("recommendations_open", NAMES["recommendations_open"], COUNT, STOCK),
        ("recommendations_overdue", NAMES["recommendations_overdue"], COUNT, NOW),
    ]),
]  # fmt: skip

LABELS: dict[str, Any] = {key: label for _title, figures in SECTIONS for key, label, _kind, _when in figures}
KINDS: dict[str, str] = {key: kind for _title, figures in SECTIONS for key, _label, kind, _when in figures}


# The ranking of the areas one level down: its columns (keys of the figures), named as the figures.
RANKING_COLUMNS = [
    (key, LABELS[key], KINDS[key])
    for key in (
        "centers_active",
        "households_in_programme",
        "households_debt_free",
        "debt_at_enrolment",
        "debt_now",
        "debt_reduced",
        "debt_reduced_pct",
        "savings",
        "par30_pct",
        "visits",
        "recommendations_open",
    )
]


SECTORS = [
    ("formal", gettext_lazy("Formal")),
    ("community", gettext_lazy("Community funds")),
    ("informal", gettext_lazy("Informal")),
]


def show(value: Any, kind: str) -> str:
    """A figure as text: baht with satang, counts with separators, percentages to one decimal."""
    if value is None:
        return "—"
    if kind == MONEY:
        return format_baht(value, unit=False)
    if kind == PERCENT:
        return f"{value}%"
    return f"{value:,}"
