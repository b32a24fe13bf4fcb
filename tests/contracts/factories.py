from datetime import date
from decimal import Decimal

from contracts import services
from contracts.models import Contract
from tests.debts.factories import make_debt
from tests.factories import MemberFundFactory
from tests.households.factories import HouseholdFactory


def draw_up_terms(
    user,
    household,
    *,
    tranches: list[services.TrancheTerms],
    payoffs: list[services.PayoffTerms],
    months: int = 12,
    drawn_up_on: date = date(2024, 2, 1),
    first_due_on: date = date(2024, 3, 5),
    affordability_reason: str = "",
) -> Contract:
    """A draft contract through the service on the given terms, drawn up on 1 February 2024 and first due on
    5 March unless said otherwise: what the other draw-ups here build on."""
    return services.contract_draw_up(
        user=user,
        household=household,
        term_months=months,
        first_due_on=first_due_on,
        drawn_up_on=drawn_up_on,
        tranches=tranches,
        payoffs=payoffs,
        affordability_reason=affordability_reason,
    )


def draw_up(
    user,
    *,
    household=None,
    principal: str = "30000.00",
    rate: str = "6",
    method: str = "flat",
    months: int = 12,
    drawn_up_on: date = date(2024, 2, 1),
    first_due_on: date = date(2024, 3, 5),
    fund=None,
    payoff: str | None = None,
    line=None,
    affordability_reason: str = "",
) -> Contract:
    """A draft contract through the service: one fund lends `principal` to pay off one informal debt (`line`,
    else a money lender's made for it)."""
    household = household or HouseholdFactory()
    fund = fund or MemberFundFactory(center=household.center)
    line = line or make_debt(
        household, creditor_type="money_lender", balance=payoff or principal, original=principal
    )
    return draw_up_terms(
        user,
        household,
        months=months,
        first_due_on=first_due_on,
        drawn_up_on=drawn_up_on,
        tranches=[services.TrancheTerms(fund, Decimal(principal), Decimal(rate), method)],
        payoffs=[services.PayoffTerms(line, Decimal(payoff or principal))],
        affordability_reason=affordability_reason,
    )


def sign(user, contract: Contract, on: date = date(2024, 2, 10)) -> Contract:
    """Sign a draft contract through the service, every payoff paid on `on` against receipt "R-1"."""
    receipts = {p.pk: services.PayoffReceipt(paid_on=on, receipt="R-1") for p in contract.payoffs.all()}
    return services.contract_sign(user=user, contract=contract, signed_on=on, receipts=receipts)


def draw_up_two_tranches(user, household, line, *, flat: str, declining: str, payoff: str) -> Contract:
    """A 12-month contract from two funds of the household's center: a flat tranche at 6 % and a declining
    one at 3 %, paying off `line`."""
    return draw_up_terms(
        user,
        household,
        tranches=[
            services.TrancheTerms(
                MemberFundFactory(center=household.center), Decimal(flat), Decimal("6"), "flat"
            ),
            services.TrancheTerms(
                MemberFundFactory(center=household.center, fund_type="village_fund"),
                Decimal(declining),
                Decimal("3"),
                "declining",
            ),
        ],
        payoffs=[services.PayoffTerms(line, Decimal(payoff))],
    )


def draw_up_three_funds(user, household=None, *, months: int = 60) -> Contract:
    """A draft contract of `months` months from three funds of the household's center (a flat tranche at 6 %
    and two declining ones at 3 and 1.5 %), 415,000.50 baht paying off one informal debt: a long schedule with
    several tranches, as the contract pages must show on a phone."""
    household = household or HouseholdFactory()
    line = make_debt(household, creditor_type="money_lender", balance="415000.50", original="415000.50")
    capital = Decimal("1000000.00")
    funds = [
        (MemberFundFactory(center=household.center, capital=capital), "250000.00", "6", "flat"),
        (
            MemberFundFactory(center=household.center, fund_type="village_fund", capital=capital),
            "120000.00",
            "3",
            "declining",
        ),
        (
            MemberFundFactory(center=household.center, fund_type="women_fund", capital=capital),
            "45000.50",
            "1.5",
            "declining",
        ),
    ]
    return draw_up_terms(
        user,
        household,
        months=months,
        tranches=[services.TrancheTerms(fund, Decimal(p), Decimal(r), m) for fund, p, r, m in funds],
        payoffs=[services.PayoffTerms(line, Decimal("415000.50"))],
    )
