"""The figure catalogue of the dashboards: every figure shown, in order and grouped, with its label, its kind
(baht, count, percent) and the date it is about (the end of the period, during it, or today only); the
columns of the ranking of the areas one level down; the debt sectors; and how a figure is written.
`dashboards/series.py` computes the figures, `dashboards/views.py` lays them out."""

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
        ("households_enrolled", gettext_lazy("Households enrolled"), COUNT, STOCK),
        ("households_debt_reduced", gettext_lazy("Households whose debt went down"), COUNT, STOCK),
        ("households_debt_free", gettext_lazy("Debt-free households"), COUNT, STOCK),
        ("households_enrolled_in_month", gettext_lazy("Households enrolled in the period"), COUNT, FLOW),
        ("households_debt_free_in_month", gettext_lazy("Households debt-free in the period"), COUNT, FLOW),
    ]),
    (gettext_lazy("Debt"), [
        ("debt_at_enrolment", gettext_lazy("Debt at enrolment"), MONEY, STOCK),
        ("debt_now", gettext_lazy("Debt now"), MONEY, STOCK),
        ("debt_reduced", gettext_lazy("Debt reduced"), MONEY, STOCK),
        ("debt_reduced_pct", gettext_lazy("Debt reduced (percent)"), PERCENT, STOCK),
        ("informal_cleared", gettext_lazy("Informal debt cleared"), MONEY, STOCK),
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

# The ranking of the areas one level down: its columns (keys of the figures).
RANKING_COLUMNS = [
    ("centers_active", gettext_lazy("Active centers"), COUNT),
    ("households_enrolled", gettext_lazy("Households enrolled"), COUNT),
    ("households_debt_free", gettext_lazy("Debt-free households"), COUNT),
    ("debt_at_enrolment", gettext_lazy("Debt at enrolment"), MONEY),
    ("debt_now", gettext_lazy("Debt now"), MONEY),
    ("debt_reduced", gettext_lazy("Debt reduced"), MONEY),
    ("debt_reduced_pct", gettext_lazy("Debt reduced (percent)"), PERCENT),
    ("savings", gettext_lazy("Savings"), MONEY),
    ("par30_pct", gettext_lazy("PAR30"), PERCENT),
    ("visits", gettext_lazy("Visits made"), COUNT),
    ("recommendations_open", gettext_lazy("Open recommendations"), COUNT),
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
