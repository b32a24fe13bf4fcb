"""The figures' names and what each counts: one name per figure, the same in Thai on every page, export and
dashboard, and one line under it saying what it counts. Here, at the bottom of the layers, so that every
app's templates can name a figure as the dashboards do (`core/templatetags/figures.py`); the dashboards'
catalogue (`dashboards/catalogue.py`) orders and groups them."""

from typing import Any

from django.utils.translation import gettext_lazy

NAMES: dict[str, Any] = {
    "centers_active": gettext_lazy("Active centers"),
    "centers_recognised": gettext_lazy("Centers recognised in the fiscal year"),
    "capital": gettext_lazy("Managed capital"),
    "households_surveyed": gettext_lazy("Households surveyed"),
    "households_target": gettext_lazy("Target households"),
    "households_in_programme": gettext_lazy("Households in the programme"),
    "households_enrolled": gettext_lazy("Households enrolled and repaying"),
    "households_debt_reduced": gettext_lazy("Households in the programme whose debt went down"),
    "households_debt_free": gettext_lazy("Debt-free households"),
    "households_enrolled_in_month": gettext_lazy("Households enrolled in the period"),
    "households_debt_free_in_month": gettext_lazy("Households debt-free in the period"),
    "debt_at_enrolment": gettext_lazy("Debt at enrolment"),
    "debt_now": gettext_lazy("Debt after consolidation"),
    "debt_reduced": gettext_lazy("Debt reduced"),
    "debt_reduced_pct": gettext_lazy("Debt reduced (percent)"),
    "informal_cleared": gettext_lazy("Informal debt cleared"),
    "registry_balance": gettext_lazy("Registry balances"),
    "contracts_active": gettext_lazy("Active contracts"),
    "contract_outstanding": gettext_lazy("Principal owed on contracts"),
    "on_time": gettext_lazy("Principal owed, repaid on time"),
    "overdue": gettext_lazy("Principal owed, overdue"),
    "contracts_overdue": gettext_lazy("Contracts overdue"),
    "par30": gettext_lazy("Portfolio at risk over 30 days (baht)"),
    "par30_pct": gettext_lazy("Portfolio at risk over 30 days (PAR30)"),
    "repaid_principal": gettext_lazy("Principal repaid"),
    "repaid_interest": gettext_lazy("Interest paid"),
    "savings": gettext_lazy("Savings"),
    "saved": gettext_lazy("Deposited to savings"),
    "withdrawn": gettext_lazy("Withdrawn from savings"),
    "visits": gettext_lazy("Visits made"),
    "centers_not_visited": gettext_lazy("Centers not visited this fiscal year"),
    "recommendations_open": gettext_lazy("Open recommendations"),
    "recommendations_overdue": gettext_lazy("Overdue recommendations"),
}

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


def label(key: str) -> Any:
    """The one name of a figure (a KeyError for an unknown key: a typo fails the page's test)."""
    return NAMES[key]


def counts(key: str) -> Any:
    """What a figure counts, in one line ("" when the name says it all)."""
    return COUNTS.get(key, "")
