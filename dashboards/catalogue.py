"""The figure catalogue of the dashboards: every figure shown, in order and grouped, with its label, its kind
(baht, count, percent) and the date it is about (the end of the period, during it, or today only); the
columns of the ranking of the areas one level down; the debt sectors; and how a figure is written.
`dashboards/series.py` computes the figures, `dashboards/views.py` lays them out.

Each figure has one name, used on every page, export and dashboard (`label`), and a line saying what it
counts (`COUNTS`, shown under the figure). Other apps' templates take both from the `figures` template
library (`{% figure_label "registry_balance" %}`, `{% figure_counts "registry_balance" %}`): the household
list, the center page and the arrears page name their figures as the dashboards do."""

from typing import Any

from django.utils.translation import gettext_lazy

from core.thai import format_baht

MONEY, COUNT, PERCENT = "money", "count", "percent"
STOCK, FLOW, NOW = "stock", "flow", "now"  # as at the end of the period, during it, or today only

# (key, label, kind, when): every figure shown, in order, grouped. `when` says which date it is about.
SECTIONS: list[tuple[Any, list[tuple[str, Any, str, str]]]] = [
    (gettext_lazy("Centers"), [
        ("centers_active", gettext_lazy("Active centers"), COUNT, STOCK),
        ("centers_recognised", gettext_lazy("Centers recognised in the fiscal year"), COUNT, STOCK),
        ("capital", gettext_lazy("Managed capital"), MONEY, STOCK),
    ]),
    (gettext_lazy("Households"), [
        ("households_surveyed", gettext_lazy("Households surveyed"), COUNT, STOCK),
        ("households_target", gettext_lazy("Target households"), COUNT, STOCK),
        ("households_in_programme", gettext_lazy("Households in the programme"), COUNT, STOCK),
        ("households_enrolled", gettext_lazy("Households enrolled and repaying"), COUNT, STOCK),
        ("households_debt_reduced", gettext_lazy("Households in the programme whose debt went down"), COUNT,
         STOCK),
        ("households_debt_free", gettext_lazy("Debt-free households"), COUNT, STOCK),
        ("households_enrolled_in_month", gettext_lazy("Households enrolled in the period"), COUNT, FLOW),
        ("households_debt_free_in_month", gettext_lazy("Households debt-free in the period"), COUNT, FLOW),
    ]),
    (gettext_lazy("Debt"), [
        ("debt_at_enrolment", gettext_lazy("Debt at enrolment"), MONEY, STOCK),
        ("debt_now", gettext_lazy("Debt after consolidation"), MONEY, STOCK),
        ("debt_reduced", gettext_lazy("Debt reduced"), MONEY, STOCK),
        ("debt_reduced_pct", gettext_lazy("Debt reduced (percent)"), PERCENT, STOCK),
        ("informal_cleared", gettext_lazy("Informal debt cleared"), MONEY, STOCK),
        ("registry_balance", gettext_lazy("Registry balances"), MONEY, STOCK),
    ]),
    (gettext_lazy("Contracts, repayment and savings"), [
        ("contracts_active", gettext_lazy("Active contracts"), COUNT, STOCK),
        ("contract_outstanding", gettext_lazy("Principal owed on contracts"), MONEY, STOCK),
        ("on_time", gettext_lazy("Principal owed, repaid on time"), MONEY, NOW),
        ("overdue", gettext_lazy("Principal owed, overdue"), MONEY, NOW),
        ("contracts_overdue", gettext_lazy("Contracts overdue"), COUNT, NOW),
        ("par30", gettext_lazy("Portfolio at risk over 30 days (baht)"), MONEY, STOCK),
        ("par30_pct", gettext_lazy("Portfolio at risk over 30 days (PAR30)"), PERCENT, STOCK),
        ("repaid_principal", gettext_lazy("Principal repaid"), MONEY, FLOW),
        ("repaid_interest", gettext_lazy("Interest paid"), MONEY, FLOW),
        ("savings", gettext_lazy("Savings"), MONEY, STOCK),
        ("saved", gettext_lazy("Deposited to savings"), MONEY, FLOW),
        ("withdrawn", gettext_lazy("Withdrawn from savings"), MONEY, FLOW),
    ]),
    (gettext_lazy("Monitoring"), [
        ("visits", gettext_lazy("Visits made"), COUNT, FLOW),
        ("centers_not_visited", gettext_lazy("Centers not visited this fiscal year"), COUNT, STOCK),
        ("recommendations_open", gettext_lazy("Open recommendations"), COUNT, STOCK),
        ("recommendations_overdue", gettext_lazy("Overdue recommendations"), COUNT, NOW),
    ]),
]  # fmt: skip

LABELS: dict[str, Any] = {key: label for _title, figures in SECTIONS for key, label, _kind, _when in figures}
KINDS: dict[str, str] = {key: kind for _title, figures in SECTIONS for key, _label, kind, _when in figures}

# What each figure counts: one line under it, on every page that shows it.
COUNTS: dict[str, Any] = {
    "capital": gettext_lazy("The capital of the member funds counted in managed capital."),
    "households_in_programme": gettext_lazy("Households enrolled or debt-free: those with a contract."),
    "households_enrolled": gettext_lazy("Households whose status is enrolled: repaying, not yet debt-free."),
    "households_debt_reduced": gettext_lazy(
        "Of the households in the programme: debt after consolidation below debt at enrolment."
    ),
    "households_debt_free": gettext_lazy("Households whose status is debt-free."),
    "debt_at_enrolment": gettext_lazy(
        "Households in the programme: their registry balances on the day their first contract was drawn up."
    ),
    "debt_now": gettext_lazy(
        "Households in the programme: principal still owed on the contract with the center plus the "
        "registry lines left outside it."
    ),
    "debt_reduced": gettext_lazy("Debt at enrolment less debt after consolidation."),
    "informal_cleared": gettext_lazy("Households in the programme: informal debt at enrolment less informal "
                                     "debt now."),
    "registry_balance": gettext_lazy(
        "Every household in the registry, whatever its status: what its debt lines say now. Lines paid off "
        "by a contract are zero; the contract with the center is not a registry line."
    ),
    "contract_outstanding": gettext_lazy("Principal lent on active contracts less the principal repaid."),
    "par30": gettext_lazy("Principal owed on contracts whose oldest unpaid instalment is over 30 days late."),
    "par30_pct": gettext_lazy(
        "Principal owed on contracts over 30 days late, as a share of all principal owed on contracts."
    ),
    "savings": gettext_lazy("Deposits less withdrawals of the households' savings with the center."),
}  # fmt: skip

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


def label(key: str) -> Any:
    """The one name of a figure."""
    return LABELS[key]


def counts(key: str) -> Any:
    """What a figure counts, in one line ("" when the name says it all)."""
    return COUNTS.get(key, "")


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
