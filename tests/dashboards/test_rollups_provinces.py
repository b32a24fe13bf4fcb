"""The provinces' due dates (`ProvinceDue`), which the national page reads instead of every district's: a
write only appends its differences, a reader merges them when there are too many, and every figure stays
the sum of the province's districts (`verify_rollups` checks)."""

import io
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from contracts import services
from dashboards import rollups
from dashboards.models import ProvinceDue
from dashboards.selectors import area_dues, children_dues
from geography.models import Subdistrict
from tests.contracts.factories import draw_up, sign
from tests.factories import (
    CHIANG_MAI,
    LAMPANG,
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

pytestmark = pytest.mark.django_db
TODAY = date(2024, 12, 20)


def contract_in(district: str, village):
    officer = UserFactory(district_id=district)
    center = CenterFactory(village=village)
    household = HouseholdFactory(center=center)
    return officer, sign(
        officer, draw_up(officer, household=household, fund=MemberFundFactory(center=center))
    )


def pay(officer, contract, on: date) -> None:
    services.repayment_record(
        user=officer, contract=contract, paid_on=on, amount=Decimal("2650.00"), token=uuid.uuid4()
    )


def province_rows() -> list[tuple]:
    return list(
        ProvinceDue.objects.order_by("pk").values_list("pk", "code", "kind", "due_on", "amount", "count")
    )


def by_districts(*provinces: str) -> dict[str, dict]:
    """Each province's amounts due today as the sum of its districts' rows (the province page's way)."""
    return {code: area_dues("province", code, TODAY) for code in provinces}


@pytest.fixture
def three_districts(time_machine):
    """A contract in Mueang Chiang Mai, one in San Sai (the same province), one in Mueang Lampang."""
    time_machine.move_to(TODAY)
    lampang = Subdistrict.objects.filter(district_id=MUEANG_LAMPANG).values_list("pk", flat=True)[0]
    return [
        contract_in(MUEANG_CHIANG_MAI, VillageFactory()),
        contract_in(SAN_SAI, VillageFactory(subdistrict_id=MAE_FAEK)),
        contract_in(MUEANG_LAMPANG, VillageFactory(subdistrict_id=lampang)),
    ]


def test_a_write_appends_to_its_province_and_changes_no_row(three_districts):
    before = province_rows()
    assert {code for _pk, code, *_rest in before} == {CHIANG_MAI, LAMPANG}
    officer, contract = three_districts[1]
    for month in range(3, 6):  # each payment moves the oldest unpaid due date of San Sai's contract
        pay(officer, contract, date(2024, month, 5))
    after = province_rows()
    assert after[: len(before)] == before  # nothing written over
    appended = after[len(before) :]
    assert {code for _pk, code, *_rest in appended} == {CHIANG_MAI}
    assert any(amount < 0 for *_key, amount, _count in appended)  # the old date's amount taken back
    assert not ProvinceDue.objects.filter(merged=True).exists()
    assert children_dues("province", "TH", TODAY) == by_districts(CHIANG_MAI, LAMPANG)
    call_command("verify_rollups", "--quiet")


def test_a_reader_merges_the_appended_rows_into_one_per_date(three_districts, monkeypatch, client, national):
    for officer, contract in three_districts:
        for month in range(3, 8):
            pay(officer, contract, date(2024, month, 5))
    figures = children_dues("province", "TH", TODAY)
    appended = ProvinceDue.objects.count()
    client.force_login(national)
    assert client.get(reverse("dashboards:home")).status_code == 200
    assert ProvinceDue.objects.count() == appended  # not yet too many

    monkeypatch.setattr(rollups, "MERGE_AFTER", appended - 1)
    assert client.get(reverse("dashboards:home")).status_code == 200
    keys = list(ProvinceDue.objects.values_list("code", "kind", "due_on", "merged"))
    assert len(keys) < appended
    assert all(merged for *_key, merged in keys)
    assert len({key[:3] for key in keys}) == len(keys)  # one row per province, kind and date
    assert not ProvinceDue.objects.filter(amount=0, count=0).exists()
    assert children_dues("province", "TH", TODAY) == figures == by_districts(CHIANG_MAI, LAMPANG)
    call_command("verify_rollups", "--quiet")

    officer, contract = three_districts[0]
    pay(officer, contract, date(2024, 8, 5))  # appended after the merge: counted with it
    assert ProvinceDue.objects.filter(merged=False).exists()
    assert children_dues("province", "TH", TODAY) == by_districts(CHIANG_MAI, LAMPANG)
    call_command("verify_rollups", "--quiet")


def test_verify_reports_a_province_row_that_differs_from_its_districts(three_districts):
    call_command("verify_rollups", "--quiet")
    ProvinceDue.objects.filter(pk=province_rows()[0][0]).update(amount=F("amount") + Decimal("0.01"))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_rollups", "--quiet", stderr=errors)
    assert f"province {province_rows()[0][1]} due" in errors.getvalue()
