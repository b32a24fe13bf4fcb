import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import Contract
from contracts.selectors import contract_position
from tests.contracts.factories import draw_up, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(officer, time_machine):
    time_machine.move_to(date(2024, 6, 20))
    contract = sign(officer, draw_up(officer, principal="12000.00", rate="0", months=12))
    services.repayment_record(
        user=officer, contract=contract, paid_on=date(2024, 3, 5), amount=Decimal("1000"), token=uuid.uuid4()
    )
    return contract


def test_restructuring_keeps_the_old_contract_linked_and_closed(officer, active):
    tranche = active.tranches.get()
    new = services.contract_restructure(
        user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5),
        rates={tranche.pk: (Decimal("3"), "declining")},
    )  # fmt: skip
    assert new.is_draft
    assert new.restructured_from == active
    assert new.principal == Decimal("11000.00")
    assert new.tranches.get().method == "declining"
    active.refresh_from_db()
    assert active.is_active  # until the new one is signed
    services.contract_sign(user=officer, contract=new, signed_on=date(2024, 6, 20), receipts={})
    active.refresh_from_db()
    new.refresh_from_db()
    assert active.status == Contract.Status.RESTRUCTURED
    assert active.closed_on == date(2024, 6, 20)
    assert new.is_active
    assert contract_position(new, date(2024, 6, 20)).principal == Decimal("11000.00")
    with pytest.raises(ValidationError):
        services.repayment_record(
            user=officer, contract=active, paid_on=date(2024, 6, 20), amount=Decimal("1"), token=uuid.uuid4()
        )


def test_only_an_active_contract_is_restructured_once(officer, active):
    services.contract_restructure(
        user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5)
    )
    with pytest.raises(ValidationError):
        services.contract_restructure(
            user=officer, contract=active, term_months=24, first_due_on=date(2024, 7, 5)
        )
    with pytest.raises(ValidationError):
        services.contract_restructure(user=officer, contract=draw_up(officer), term_months=12,
                                      first_due_on=date(2024, 7, 5))  # fmt: skip
    with pytest.raises(ValidationError):
        services.contract_restructure(
            user=officer, contract=active, term_months=0, first_due_on=date(2024, 7, 5)
        )
