"""The provinces' month figures and due dates (`ProvinceMonth`, `ProvinceDue`), which the national page reads
instead of every district's: a write only appends its differences, a reader merges them when there are too
many, and every figure stays the sum of the province's districts (`verify_rollups` checks)."""

import io
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import DecimalField, F, IntegerField
from django.urls import reverse

from contracts import services
from dashboards import rollups
from dashboards.models import FIGURES, AreaMonth, Level, ProvinceDue, ProvinceMonth
from dashboards.selectors import area_dues, area_rows, children_dues, children_stocks
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


def month_rows() -> list[tuple]:
    return list(ProvinceMonth.objects.order_by("pk").values_list("pk", "code", "month", "merged", *FIGURES))


def months_by_districts(province: str) -> dict[date, dict]:
    """A province's figures by month as the sum of its districts' `AreaMonth` rows, added up here."""
    sums: dict[date, dict] = {}
    for row in AreaMonth.objects.filter(level=Level.DISTRICT, parent_code=province).values("month", *FIGURES):
        into = sums.setdefault(row["month"], dict.fromkeys(FIGURES, 0))
        for name in FIGURES:
            into[name] += row[name]
    return sums


def months_read(province: str) -> dict[date, dict]:
    """The province's figures by month as the pages read them (its `ProvinceMonth` rows summed)."""
    return {
        row.month: {name: getattr(row, name) for name in FIGURES} for row in area_rows("province", province)
    }


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


def test_a_write_appends_its_months_to_its_province_and_changes_no_row(three_districts):
    before = month_rows()
    officer, contract = three_districts[1]
    pay(officer, contract, date(2024, 11, 5))  # November and December change: December's stocks carry it
    after = month_rows()
    assert after[: len(before)] == before  # nothing written over
    appended = after[len(before) :]
    assert {(code, month, merged) for _pk, code, month, merged, *_figures in appended} == {
        (CHIANG_MAI, date(2024, 11, 1), False),
        (CHIANG_MAI, date(2024, 12, 1), False),
    }
    november = next(row for row in appended if row[2] == date(2024, 11, 1))
    assert november[4 + FIGURES.index("repaid_principal")] + november[
        4 + FIGURES.index("repaid_interest")
    ] == Decimal("2650.00")
    for province in (CHIANG_MAI, LAMPANG):
        assert months_read(province) == months_by_districts(province)
    stocks = children_stocks("province", "TH", date(2024, 12, 1))
    assert (
        stocks[CHIANG_MAI]["contract_outstanding"]
        == (months_by_districts(CHIANG_MAI)[date(2024, 12, 1)]["contract_outstanding"])
    )
    call_command("verify_rollups", "--quiet")


def test_a_reader_merges_the_appended_months_into_one_row_per_province_and_month(
    three_districts, monkeypatch, client, national
):
    for officer, contract in three_districts:
        for month in range(9, 12):
            pay(officer, contract, date(2024, month, 5))
    appended = ProvinceMonth.objects.filter(merged=False, month=date(2024, 12, 1)).count()
    assert appended >= 3
    expected = {province: months_by_districts(province) for province in (CHIANG_MAI, LAMPANG)}
    monkeypatch.setattr(rollups, "MERGE_AFTER", appended - 1)
    client.force_login(national)
    assert client.get(reverse("dashboards:home")).status_code == 200
    keys = list(ProvinceMonth.objects.values_list("code", "month", "merged"))
    assert all(merged for *_key, merged in keys)
    assert len({key[:2] for key in keys}) == len(keys)  # one row per province and month
    assert {province: months_read(province) for province in (CHIANG_MAI, LAMPANG)} == expected
    call_command("verify_rollups", "--quiet")


def test_verify_reports_a_province_month_that_differs_from_its_districts(three_districts):
    call_command("verify_rollups", "--quiet")
    ProvinceMonth.objects.filter(code=LAMPANG, month=date(2024, 12, 1)).update(savings=F("savings") + 1)
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_rollups", "--quiet", stderr=errors)
    assert f"province {LAMPANG} 2024-12 savings" in errors.getvalue()


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


@pytest.mark.django_db(databases=[])
def test_the_province_months_hold_the_same_figures_as_the_areas_signed():
    """`ProvinceMonth` declares `AreaMonth`'s figures again, signed (a difference may be negative)."""

    def figures(model) -> set[str]:
        return {field.name for field in model._meta.concrete_fields} & set(FIGURES)

    assert figures(AreaMonth) == figures(ProvinceMonth) == set(FIGURES)
    for name in FIGURES:
        area, province = AreaMonth._meta.get_field(name), ProvinceMonth._meta.get_field(name)
        if isinstance(area, DecimalField):
            assert isinstance(province, DecimalField), name
            assert (province.max_digits, province.decimal_places) == (area.max_digits, area.decimal_places)
        else:
            assert type(province) is IntegerField, name  # not Positive: a difference may be negative
