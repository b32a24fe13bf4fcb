"""No row that every write in the country waits for: while a repayment in Mueang Chiang Mai is not yet
committed, a repayment in San Sai (same province) and one in Mueang Lampang (another province) complete
without waiting for it, each with `lock_timeout` at 1 second."""

import threading
import uuid
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from contracts import services
from dashboards import rollups
from dashboards.models import ProvinceDue, ProvinceMonth
from dashboards.selectors import area_rows
from geography.models import Subdistrict
from tests.contracts.factories import draw_up, sign
from tests.factories import (
    MAE_FAEK,
    MUEANG_CHIANG_MAI,
    MUEANG_LAMPANG,
    SAN_SAI,
    CenterFactory,
    MemberFundFactory,
    UserFactory,
    VillageFactory,
)
from tests.households.factories import HouseholdFactory

TODAY = date(2024, 12, 20)


def _contract(officer, village):
    center = CenterFactory(village=village)
    household = HouseholdFactory(center=center)
    return sign(officer, draw_up(officer, household=household, fund=MemberFundFactory(center=center)))


def _pay(officer, contract) -> None:
    services.repayment_record(
        user=officer, contract=contract, paid_on=TODAY, amount=Decimal("2650.00"), token=uuid.uuid4()
    )


@contextmanager
def open_write(officer, contract):
    """A repayment held uncommitted in another thread (its own connection) while the block runs; committed
    after it. An error in that thread fails the test."""
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_open() -> None:
        try:
            with transaction.atomic():
                _pay(officer, contract)
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
            holding.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold_open)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        yield
    finally:
        release.set()
        thread.join()
    assert errors == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_writes_in_other_districts_do_not_wait_for_an_open_one(time_machine):
    time_machine.move_to(TODAY)
    officers = {
        district: UserFactory(district_id=district)
        for district in (MUEANG_CHIANG_MAI, SAN_SAI, MUEANG_LAMPANG)
    }
    mueang = _contract(officers[MUEANG_CHIANG_MAI], VillageFactory())  # Tha Sala
    san_sai = _contract(officers[SAN_SAI], VillageFactory(subdistrict_id=MAE_FAEK))
    lampang_village = VillageFactory(
        subdistrict_id=Subdistrict.objects.filter(district_id=MUEANG_LAMPANG).values_list("pk", flat=True)[0]
    )
    lampang = _contract(officers[MUEANG_LAMPANG], lampang_village)

    with open_write(officers[MUEANG_CHIANG_MAI], mueang):
        for district, contract in ((SAN_SAI, san_sai), (MUEANG_LAMPANG, lampang)):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                _pay(officers[district], contract)  # a lock timeout here fails the test
    call_command("verify_rollups", "--quiet")
    december = {row.month: row for row in area_rows("nation", "TH")}[date(2024, 12, 1)]
    assert december.repaid_principal + december.repaid_interest == 3 * Decimal("2650.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_merge_of_the_province_rows_waits_for_no_write_and_keeps_an_open_ones_rows(time_machine):
    """The reader's merges of `ProvinceDue` and `ProvinceMonth` run while a write in the province is not yet
    committed: they complete within `lock_timeout`, and the open write's appended rows, which they could not
    see, count once the write commits."""
    time_machine.move_to(TODAY)
    officers = {district: UserFactory(district_id=district) for district in (MUEANG_CHIANG_MAI, SAN_SAI)}
    mueang = _contract(officers[MUEANG_CHIANG_MAI], VillageFactory())
    san_sai = _contract(officers[SAN_SAI], VillageFactory(subdistrict_id=MAE_FAEK))
    with open_write(officers[MUEANG_CHIANG_MAI], mueang), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        _pay(officers[SAN_SAI], san_sai)
        assert rollups.merge_province_dues()  # a lock timeout here fails the test
        assert rollups.merge_province_months()
        assert not ProvinceDue.objects.filter(merged=False).exists()
        assert not ProvinceMonth.objects.filter(merged=False).exists()
    # the open write's rows, appended before the merges
    assert ProvinceDue.objects.filter(merged=False).exists()
    assert ProvinceMonth.objects.filter(merged=False).exists()
    call_command("verify_rollups", "--quiet")
