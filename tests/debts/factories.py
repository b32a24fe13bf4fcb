from datetime import date
from decimal import Decimal

from debts.models import DebtBalance, DebtLine


def make_debt(
    household,
    *,
    creditor_type: str = "baac",
    balance: str = "10000.00",
    original: str = "20000.00",
    rate: str | None = "7",
    unit: str = "year",
    as_of: date = date(2024, 1, 15),
    **fields,
) -> DebtLine:
    """A debt line with its first balance, written directly (the services are tested on their own)."""
    line = DebtLine(
        household=household,
        creditor_type=creditor_type,
        original_amount=Decimal(original),
        interest_rate=Decimal(rate) if rate is not None else None,
        rate_unit=unit if rate is not None else "",
        current_balance=Decimal(balance),
        balance_as_of=as_of,
        **fields,
    )
    line.set_sector()
    line.refresh_annual_rate()
    if line.current_balance == 0:
        line.status, line.closed_on = DebtLine.Status.PAID_OFF, as_of
    line.save()
    DebtBalance.objects.create(line=line, as_of=as_of, balance=line.current_balance)
    return line
