"""Two writes at once in two centers of one district: both reach the district's rows, and so the province's
and the nation's figures (summed from the districts)."""

import threading
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections

from contracts import services
from dashboards.models import AreaMonth
from dashboards.selectors import area_rows
from tests.contracts.factories import draw_up, sign
from tests.factories import MUEANG_CHIANG_MAI, CenterFactory, MemberFundFactory, UserFactory
from tests.households.factories import HouseholdFactory

TODAY = date(2024, 12, 20)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_repayments_in_two_centers_of_a_district_lose_nothing(time_machine):
    time_machine.move_to(TODAY)
    officer = UserFactory(username="officer_a")
    contracts = []
    for _ in range(2):
        center = CenterFactory()
        fund = MemberFundFactory(center=center)
        contracts.append(
            sign(officer, draw_up(officer, household=HouseholdFactory(center=center), fund=fund))
        )
    barrier = threading.Barrier(2)
    errors = []

    def post(contract, on: date) -> None:
        try:
            barrier.wait()
            for _ in range(3):  # several rounds, so that the two really overlap
                services.repayment_record(
                    user=officer, contract=contract, paid_on=on, amount=Decimal("100.00"), token=uuid.uuid4()
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # One pays today, the other back in March: their refreshes touch many months of the same rows.
    threads = [
        threading.Thread(target=post, args=(contracts[0], TODAY)),
        threading.Thread(target=post, args=(contracts[1], date(2024, 3, 5))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    call_command("verify_rollups", "--quiet")
    district = AreaMonth.objects.get(level="district", code=MUEANG_CHIANG_MAI, month=date(2024, 12, 1))
    assert district.repaid_principal + district.repaid_interest == Decimal("300.00")  # today's payments
    march = {row.month: row for row in area_rows("nation", "TH")}[date(2024, 3, 1)]
    assert march.repaid_principal + march.repaid_interest == Decimal("300.00")
