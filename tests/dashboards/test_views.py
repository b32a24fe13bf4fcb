"""The dashboard pages and their export: scoping, bad input, the figures of a worked example, the fiscal
year against all time, carried rows, and a query count that does not grow with the data."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core import events
from dashboards.models import FIGURES, AreaDue, AreaMonth, DueKind, Level
from tests.dashboards.factories import dense_rows, due_row, grow
from tests.factories import CHIANG_MAI, LAMPANG, MUEANG_CHIANG_MAI, MUEANG_LAMPANG, SAN_SAI, CenterFactory
from tests.households.factories import HouseholdFactory

TODAY = date(2025, 11, 15)  # fiscal year 2569 (1 Oct 2025 - 30 Sep 2026)
FY = 2569


@pytest.fixture(autouse=True)
def hand_made_rows(monkeypatch):
    """These tests read summary rows made by hand: the engine must not add its own
    (tests/dashboards/test_pages_with_engine.py reads the engine's)."""
    monkeypatch.setattr(events, "_listeners", [])


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return TODAY


@pytest.fixture
def center(db):
    return CenterFactory(name="ศูนย์จัดการกองทุนชุมชนบ้านแดชบอร์ด")  # in Mueang Chiang Mai (5001)


@pytest.fixture
def example(center):
    """A worked example for the province of Chiang Mai, its two districts and one center.

    The province has no rows of its own: its figures are the sums of its districts' rows, which are dense
    (a row for every month to November 2025, the current month), the months without a write carrying the
    stocks of the latest month with one. Mueang Chiang Mai has writes in March, June and October 2025; San
    Sai in March and August 2025 (none in the current fiscal year, FY2569). So Chiang Mai adds up to: March
    5 centers, 2 visits, debt 90,000 at enrolment and 85,000 now; September (FY2568's last month, no write)
    debt 70,000 now, contracts 50,000 of which 5,000 PAR30, savings 12,000.25; November (no write) the
    October and August figures: 6 centers, capital 2,600,000.00, debt 100,000 at enrolment and 60,000 now,
    and FY2569's flows (4 visits, all in Mueang Chiang Mai in October).
    """
    d = Level.DISTRICT
    dense_rows(
        d,
        MUEANG_CHIANG_MAI,
        {
            date(2025, 3, 1): {
                "centers_active": 3,
                "centers_visited_fy": 2,
                "capital": "1900000.50",
                "debt_at_enrolment": "50000",
                "debt_now": "50000",
                "visits": 2,
                "repaid_principal": "3000",
                "saved": "1000",
            },
            date(2025, 6, 1): {
                "centers_active": 3,
                "capital": "1900000.50",
                "households_enrolled": 5,
                "debt_at_enrolment": "60000",
                "debt_now": "40000",
                "contract_outstanding": "35000",
                "par30_outstanding": "3500",
                "savings": "8000.25",
                "repaid_principal": "2000",
                "recommendations_open": 4,
            },
            date(2025, 10, 1): {
                "centers_active": 4,
                "centers_recognised": 1,
                "centers_visited_fy": 2,
                "capital": "2000000.00",
                "households_surveyed": 12,
                "households_target": 5,
                "households_enrolled": 6,
                "households_debt_free": 2,
                "households_withdrawn": 1,
                "households_debt_reduced": 4,
                "debt_at_enrolment": "60000",
                "debt_at_enrolment_formal": "20000",
                "debt_at_enrolment_community": "10000",
                "debt_at_enrolment_informal": "30000",
                "debt_now": "30000",
                "debt_now_formal": "15000",
                "debt_now_community": "15000",
                "debt_now_informal": "0",
                "informal_cleared": "30000",
                "contracts_active": 6,
                "contract_outstanding": "25000",
                "par30_outstanding": "2000",
                "savings": "11000.50",
                "recommendations_open": 4,
                "visits": 4,
                "repaid_principal": "1500",
                "repaid_interest": "250.75",
                "saved": "800",
                "withdrawn": "100",
                "households_enrolled_in_month": 1,
            },
        },
        parent_code=CHIANG_MAI,
    )
    # San Sai: no write since August 2025, and still counts (its rows carry August's stocks).
    dense_rows(
        d,
        SAN_SAI,
        {
            date(2025, 3, 1): {
                "centers_active": 2,
                "capital": "600000.00",
                "debt_at_enrolment": "40000",
                "debt_now": "35000",
            },
            date(2025, 8, 1): {
                "centers_active": 2,
                "centers_visited_fy": 2,
                "capital": "600000.00",
                "households_surveyed": 8,
                "households_target": 3,
                "households_enrolled": 4,
                "households_debt_free": 1,
                "households_debt_reduced": 3,
                "debt_at_enrolment": "40000",
                "debt_at_enrolment_formal": "10000",
                "debt_at_enrolment_community": "10000",
                "debt_at_enrolment_informal": "20000",
                "debt_now": "30000",
                "debt_now_formal": "10000",
                "debt_now_community": "15000",
                "debt_now_informal": "5000",
                "informal_cleared": "15000",
                "contracts_active": 4,
                "contract_outstanding": "15000",
                "par30_outstanding": "1500",
                "savings": "4000.00",
                "recommendations_open": 2,
                "visits": 3,
            },
        },
        parent_code=CHIANG_MAI,
    )
    # Arrears today (15 Nov 2025): 5 days late, 75 days late, not yet due; recommendations. Chiang Mai's
    # are their sums: 3,000 (1 contract), 4,000 (2), 33,000 (7); 2 recommendations overdue, 3 due, 1 undated.
    for district, kind, due_on, amount, count in (
        (MUEANG_CHIANG_MAI, DueKind.ARREARS, date(2025, 11, 10), "3000", 1),
        (MUEANG_CHIANG_MAI, DueKind.ARREARS, date(2025, 9, 1), "2500", 1),
        (SAN_SAI, DueKind.ARREARS, date(2025, 9, 1), "1500", 1),
        (MUEANG_CHIANG_MAI, DueKind.ARREARS, date(2025, 12, 10), "20000", 4),
        (SAN_SAI, DueKind.ARREARS, date(2025, 12, 10), "13000", 3),
        (MUEANG_CHIANG_MAI, DueKind.RECOMMENDATION, date(2025, 11, 1), "0", 2),
        (MUEANG_CHIANG_MAI, DueKind.RECOMMENDATION, date(2025, 12, 31), "0", 1),
        (SAN_SAI, DueKind.RECOMMENDATION, date(2025, 12, 31), "0", 2),
        (MUEANG_CHIANG_MAI, DueKind.RECOMMENDATION, None, "0", 1),
    ):
        due_row(d, district, kind, due_on, parent_code=CHIANG_MAI, amount=amount, count=count)
    dense_rows(
        d,
        MUEANG_LAMPANG,
        {date(2025, 10, 1): {"centers_active": 3, "debt_at_enrolment": "1000", "debt_now": "10"}},
        parent_code=LAMPANG,
    )  # another province: never in Chiang Mai's ranking
    # The center. The nation is the sum of the three districts: 9 centers, debt 101,000 and 60,010 now.
    dense_rows(
        Level.CENTER,
        center.pk,
        {
            date(2025, 10, 1): {
                "centers_active": 1,
                "households_enrolled": 2,
                "debt_at_enrolment": "20000",
                "debt_now": "15000",
            }
        },
        parent_code=MUEANG_CHIANG_MAI,
    )
    return center


def figure(response, key: str) -> str:
    """The raw value a figure card carries (data-value), as rendered on the page."""
    match = re.search(rf'id="fig-{key}" data-value="([^"]*)"', response.content.decode())
    assert match, f"figure {key} not on the page"
    return match[1]


def pages(center_pk: int) -> dict[str, str]:
    return {
        "nation": reverse("dashboards:home"),
        "province": reverse("dashboards:province", args=[CHIANG_MAI]),
        "district": reverse("dashboards:district", args=[MUEANG_CHIANG_MAI]),
        "center": reverse("dashboards:center", args=[center_pk]),
        "nation_export": reverse("dashboards:nation_export"),
        "province_export": reverse("dashboards:province_export", args=[CHIANG_MAI]),
        "district_export": reverse("dashboards:district_export", args=[MUEANG_CHIANG_MAI]),
        "center_export": reverse("dashboards:center_export", args=[center_pk]),
    }


# --- access ----------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, center):
    for url in pages(center.pk).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("user_fixture", ["national", "superuser"])
def test_department_staff_and_admins_open_every_level(client, request, center, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    for url in pages(center.pk).values():
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("dashboards:province", args=[LAMPANG])).status_code == 200


def test_provincial_staff_see_their_province_only(client, center, provincial):
    client.force_login(provincial)
    urls = pages(center.pk)
    response = client.get(urls["nation"], {"fy": "2568"})
    assert response.status_code == 302
    assert response.url == reverse("dashboards:province", args=[CHIANG_MAI]) + "?fy=2568"
    export = client.get(urls["nation_export"])
    assert export.url == reverse("dashboards:province_export", args=[CHIANG_MAI])
    for name in ("province", "district", "center", "province_export", "district_export", "center_export"):
        assert client.get(urls[name]).status_code == 200, name
    assert client.get(reverse("dashboards:district", args=[SAN_SAI])).status_code == 200
    for url in (
        reverse("dashboards:province", args=[LAMPANG]),
        reverse("dashboards:province_export", args=[LAMPANG]),
        reverse("dashboards:district", args=[MUEANG_LAMPANG]),
        reverse("dashboards:district_export", args=[MUEANG_LAMPANG]),
        reverse("dashboards:center", args=[CenterFactory(village__subdistrict_id="520101").pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_another_province_gets_404_everywhere_in_chiang_mai(client, center, other_province):
    client.force_login(other_province)
    urls = pages(center.pk)
    for name, url in urls.items():
        response = client.get(url)
        if name.startswith("nation"):
            assert response.status_code == 302
            assert response.url.startswith(f"/dashboard/province/{LAMPANG}/")
        else:
            assert response.status_code == 404, name


def test_district_officers_are_sent_to_their_district_and_see_nothing_else(client, center, officer):
    client.force_login(officer)
    urls = pages(center.pk)
    own = reverse("dashboards:district", args=[MUEANG_CHIANG_MAI])
    for name in ("nation", "province"):
        response = client.get(urls[name], {"fy": "all"})
        assert response.status_code == 302, name
        assert response.url == f"{own}?fy=all"
    export = client.get(urls["province_export"])
    assert export.url == reverse("dashboards:district_export", args=[MUEANG_CHIANG_MAI])
    for name in ("district", "center", "district_export", "center_export"):
        assert client.get(urls[name]).status_code == 200, name
    for url in (
        reverse("dashboards:province", args=[LAMPANG]),  # not their province: not theirs at all
        reverse("dashboards:district", args=[SAN_SAI]),
        reverse("dashboards:district_export", args=[SAN_SAI]),
        reverse("dashboards:center", args=[CenterFactory(village__subdistrict_id="501409").pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_outsider_officer_gets_404_on_district_a_and_its_centers(client, center, outsider):
    client.force_login(outsider)
    urls = pages(center.pk)
    for name in ("district", "center", "district_export", "center_export"):
        assert client.get(urls[name]).status_code == 404, name
    # Their own province and the nation send them to their own district (San Sai).
    assert client.get(urls["province"]).url == reverse("dashboards:district", args=[SAN_SAI])
    assert client.get(urls["nation"]).url == reverse("dashboards:district", args=[SAN_SAI])


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/province/99/",
        "/dashboard/province/abc/",
        "/dashboard/province/5001/",
        "/dashboard/district/9999/",
        "/dashboard/district/50/",
        "/dashboard/center/999999/",
        "/dashboard/province/99/export.xlsx",
        "/dashboard/center/999999/export.xlsx",
    ],
)
def test_unknown_areas_answer_404(client, national, url):
    client.force_login(national)
    assert client.get(url).status_code == 404


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy", "words"),
    [
        ("abc", "ไม่ใช่ปีงบประมาณ"),
        ("2569.5", "ไม่ใช่ปีงบประมาณ"),
        ("-1", "ไม่ใช่ปีงบประมาณ"),
        ("2400", "อยู่นอกช่วง"),
        ("2571", "อยู่นอกช่วง"),  # a year still to come
        ("99999999999999999999", "อยู่นอกช่วง"),
        ("2025", "คริสต์ศักราช"),
        ("<script>", "ไม่ใช่ปีงบประมาณ"),
    ],
)
def test_a_bad_fiscal_year_shows_the_current_year_with_a_clear_message(
    client, provincial, example, fy, words
):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]), {"fy": fy})
    assert response.status_code == 200
    warning = response.content.decode().split('id="fy-error"', 1)[1].split("</div>", 1)[0]
    assert words in warning
    assert f"{FY}" in warning
    assert "<script>" not in warning
    assert response.context["fy"] == FY
    assert figure(response, "visits") == "4"  # the current year's figures


def test_a_bad_fiscal_year_refuses_the_export_with_a_clear_message(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province_export", args=[CHIANG_MAI]), {"fy": "1999"})
    assert response.status_code == 400
    assert "อยู่นอกช่วง" in response.content.decode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fy=st.one_of(st.text(max_size=30), st.integers(min_value=-(10**20), max_value=10**20).map(str)))
def test_any_fiscal_year_gives_a_page_or_a_clear_refusal(client, provincial, fy):
    client.force_login(provincial)
    page = client.get(reverse("dashboards:province", args=[CHIANG_MAI]), {"fy": fy})
    assert page.status_code in (200, 400)  # 400: a NUL character, refused by the middleware
    export = client.get(reverse("dashboards:province_export", args=[CHIANG_MAI]), {"fy": fy})
    assert export.status_code in (200, 400)
    if page.status_code == 200 and page.context["fy_error"]:
        assert export.status_code == 400


def test_thai_digits_are_read_as_a_fiscal_year(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]), {"fy": "๒๕๖๘"})
    assert response.context["fy"] == 2568
    assert not response.context["fy_error"]


# --- the figures -----------------------------------------------------------------------------------------


def district_rows(month_from: date, month_to: date) -> list[AreaMonth]:
    """Chiang Mai's districts' rows for these months (the province has none of its own)."""
    return list(
        AreaMonth.objects.filter(
            level=Level.DISTRICT, parent_code=CHIANG_MAI, month__gte=month_from, month__lte=month_to
        ).order_by("month")
    )


def province_month(month: date) -> dict[str, Any]:
    """Chiang Mai's figures for one month: the sum of its districts' rows for that month."""
    rows = district_rows(month, month)
    assert {row.code for row in rows} == {MUEANG_CHIANG_MAI, SAN_SAI}  # every district has a row every month
    return {name: sum(getattr(row, name) for row in rows) for name in FIGURES}


def test_current_year_figures_equal_the_rows(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]))
    assert response.context["fy"] == FY
    row = province_month(date(2025, 11, 1))  # no write in November: October's and August's stocks, carried
    assert (row["centers_active"], row["debt_now"], row["capital"]) == (
        6,
        Decimal("60000"),
        Decimal("2600000"),
    )
    for key in (
        "centers_active",
        "households_surveyed",
        "households_target",
        "households_enrolled",
        "households_debt_reduced",
        "households_debt_free",
        "contracts_active",
    ):
        assert figure(response, key) == str(row[key]), key
    for key in ("capital", "debt_at_enrolment", "debt_now", "informal_cleared", "contract_outstanding",
                "savings"):  # fmt: skip
        assert Decimal(figure(response, key)) == row[key], key
    reduced = row["debt_at_enrolment"] - row["debt_now"]
    assert Decimal(figure(response, "debt_reduced")) == reduced
    expected_pct = (reduced * 100 / row["debt_at_enrolment"]).quantize(Decimal("0.1"))
    assert Decimal(figure(response, "debt_reduced_pct")) == expected_pct
    fy_rows = district_rows(date(2025, 10, 1), date(2026, 9, 1))
    visited = sum(r.centers_visited_fy for r in fy_rows)
    # Centers recognised: counted in the fiscal year's first month (October), not carried into November.
    assert figure(response, "centers_recognised") == str(sum(r.centers_recognised for r in fy_rows)) == "1"
    assert figure(response, "centers_not_visited") == str(row["centers_active"] - visited) == "4"
    # Flows: the months of FY2569 only (October 2025).
    assert figure(response, "visits") == str(sum(r.visits for r in fy_rows))
    assert Decimal(figure(response, "repaid_principal")) == sum(r.repaid_principal for r in fy_rows)
    assert Decimal(figure(response, "repaid_interest")) == Decimal("250.75")
    # Today's arrears and recommendations, from its districts' AreaDue rows.
    dues = AreaDue.objects.filter(level=Level.DISTRICT, parent_code=CHIANG_MAI)
    arrears = dues.filter(kind=DueKind.ARREARS)
    par30 = sum(d.amount for d in arrears if d.due_on < date(2025, 10, 16))
    overdue = sum(d.amount for d in arrears if d.due_on < TODAY)
    assert Decimal(figure(response, "par30")) == par30 == Decimal("4000")
    assert Decimal(figure(response, "overdue")) == overdue == Decimal("7000")
    assert Decimal(figure(response, "on_time")) == row["contract_outstanding"] - overdue
    assert figure(response, "contracts_overdue") == "3"
    assert Decimal(figure(response, "par30_pct")) == (par30 * 100 / row["contract_outstanding"]).quantize(
        Decimal("0.1")
    )
    recommendations = dues.filter(kind=DueKind.RECOMMENDATION)
    assert figure(response, "recommendations_open") == str(sum(d.count for d in recommendations))
    assert figure(response, "recommendations_overdue") == str(
        sum(d.count for d in recommendations if d.due_on and d.due_on < TODAY)
    )
    body = response.content.decode()
    assert "2,600,000.00" in body  # shown in baht with satang


def test_a_past_year_takes_its_last_row_and_sums_its_months(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]), {"fy": "2568"})
    # No write in September: its rows carry Mueang Chiang Mai's June stocks and San Sai's August ones.
    september = province_month(date(2025, 9, 1))
    assert Decimal(figure(response, "debt_now")) == september["debt_now"] == Decimal("70000")
    assert Decimal(figure(response, "savings")) == september["savings"] == Decimal("12000.25")
    assert Decimal(figure(response, "par30")) == september["par30_outstanding"]  # PAR30 at the year's end
    assert Decimal(figure(response, "par30_pct")) == Decimal("10.0")
    fy_rows = district_rows(date(2024, 10, 1), date(2025, 9, 1))
    assert figure(response, "visits") == str(sum(r.visits for r in fy_rows)) == "5"
    assert Decimal(figure(response, "repaid_principal")) == Decimal("5000")
    assert figure(response, "overdue") == ""  # "overdue today" means nothing for a past year
    assert "เฉพาะปีงบประมาณปัจจุบัน" in response.content.decode()
    assert response.context["board"].months[-1]["month"] == date(2025, 9, 1)
    assert len(response.context["board"].months) == 12


def test_all_time_takes_todays_stocks_and_every_month(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]), {"fy": "all"})
    assert response.context["fy"] is None
    assert figure(response, "visits") == str(sum(r.visits for r in district_rows(date(2000, 1, 1), TODAY)))
    assert figure(response, "visits") == "9"
    assert Decimal(figure(response, "debt_now")) == Decimal("60000")
    assert Decimal(figure(response, "par30")) == Decimal("4000")
    months = response.context["board"].months
    assert [months[0]["month"], months[-1]["month"]] == [date(2025, 3, 1), date(2025, 11, 1)]
    assert 'value="all" selected' in response.content.decode()


def test_a_child_without_a_write_in_the_latest_month_still_counts(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]))
    ranking = {row["code"]: row for row in response.context["ranking"]}
    assert set(ranking) == {MUEANG_CHIANG_MAI, SAN_SAI}  # Lampang's district is not in Chiang Mai
    san_sai = {cell["key"]: cell["value"] for cell in ranking[SAN_SAI]["cells"]}
    assert san_sai["centers_active"] == 2  # its August stocks, carried into November
    assert san_sai["debt_reduced_pct"] == Decimal("25.0")
    assert san_sai["visits"] == 0  # but its visits were in the previous fiscal year
    mueang = {cell["key"]: cell["value"] for cell in ranking[MUEANG_CHIANG_MAI]["cells"]}
    assert mueang["debt_reduced_pct"] == Decimal("50.0")
    assert [row["code"] for row in response.context["ranking"]] == [MUEANG_CHIANG_MAI, SAN_SAI]
    body = response.content.decode()
    assert 'href="/dashboard/district/5014/"' in body  # drill down
    assert "สันทราย" in body


def test_the_nation_and_its_provinces_are_the_sums_of_their_districts(client, national, example):
    client.force_login(national)
    response = client.get(reverse("dashboards:home"))
    assert figure(response, "centers_active") == "9"
    assert Decimal(figure(response, "debt_at_enrolment")) == Decimal("101000")
    assert Decimal(figure(response, "debt_now")) == Decimal("60010")
    assert figure(response, "visits") == "4"
    ranking = {
        row["code"]: {cell["key"]: cell["value"] for cell in row["cells"]}
        for row in response.context["ranking"]
    }
    assert ranking[CHIANG_MAI]["centers_active"] == 6
    assert ranking[CHIANG_MAI]["visits"] == 4
    assert ranking[CHIANG_MAI]["debt_reduced_pct"] == Decimal("40.0")
    assert ranking[LAMPANG]["debt_reduced_pct"] == Decimal("99.0")
    assert [row["code"] for row in response.context["ranking"]] == [LAMPANG, CHIANG_MAI]


def test_figures_link_to_the_lists_behind_them(client, provincial, officer, example):
    client.force_login(provincial)
    body = client.get(reverse("dashboards:province", args=[CHIANG_MAI])).content.decode()
    assert 'href="/households/?province=50&amp;status=enrolled" class="stretched-link' in body
    assert 'href="/centers/?province=50&amp;status=active"' in body
    assert 'href="/visits/recommendations/?overdue=on"' in body
    main = body.split("<main", 1)[1].split("</main>", 1)[0]  # the menu links to the (empty) contract list
    assert "/contracts/" not in main  # contract pages show names: not for provincial staff
    client.force_login(officer)
    body = client.get(reverse("dashboards:center", args=[example.pk])).content.decode()
    assert f'href="/contracts/arrears/{example.pk}/"' in body
    assert f'href="/households/?district=5001&amp;center={example.pk}&amp;status=debt_free"' in body


def test_no_names_above_the_district_and_centers_on_the_district_page(client, national, example):
    HouseholdFactory(center=example, head_name="นายลับเฉพาะ ไม่ควรเห็น")
    client.force_login(national)
    for url in (reverse("dashboards:home"), reverse("dashboards:province", args=[CHIANG_MAI])):
        body = client.get(url).content.decode()
        assert "ไม่ควรเห็น" not in body
        assert example.name not in body
    body = client.get(reverse("dashboards:district", args=[MUEANG_CHIANG_MAI])).content.decode()
    assert example.name in body
    assert f'href="/dashboard/center/{example.pk}/"' in body
    assert "ไม่ควรเห็น" not in body


def test_the_breadcrumb_links_only_what_the_user_may_open(client, officer, national, example):
    client.force_login(officer)
    crumbs = client.get(reverse("dashboards:center", args=[example.pk])).context["breadcrumb"]
    assert [c["url"] for c in crumbs] == [None, None, reverse("dashboards:district", args=["5001"]), None]
    assert crumbs[-1]["label"] == example.name
    client.force_login(national)
    crumbs = client.get(reverse("dashboards:center", args=[example.pk])).context["breadcrumb"]
    assert [c["url"] for c in crumbs][:3] == [
        "/dashboard/",
        "/dashboard/province/50/",
        "/dashboard/district/5001/",
    ]


def test_charts_get_their_data_through_json_script(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province", args=[CHIANG_MAI]))
    charts = response.context["charts"]
    assert charts["sectors"]["series"][0]["data"] == [Decimal("30000"), Decimal("20000"), Decimal("50000")]
    assert charts["statuses"]["data"] == [20, 8, 10, 3, 1]
    assert charts["ranking"]["data"] == [Decimal("50.0"), Decimal("25.0")]
    body = response.content.decode()
    assert '<script id="dashboard-charts" type="application/json">' in body
    assert re.search(r"<script>(?!</script>)", body) is None  # no inline script
    assert "onclick" not in body
    for canvas in ("chart-months", "chart-sectors", "chart-statuses", "chart-ranking"):
        assert f'id="{canvas}"' in body


def test_an_area_without_rows_shows_zeros(client, national, db):
    client.force_login(national)
    response = client.get(reverse("dashboards:district", args=[SAN_SAI]))
    assert response.status_code == 200
    assert 'id="no-data"' in response.content.decode()
    assert figure(response, "debt_now") == "0.00"
    assert figure(response, "debt_reduced_pct") == ""


# --- export ----------------------------------------------------------------------------------------------


def test_export_opens_with_thai_headers_and_be_dates(client, provincial, example):
    client.force_login(provincial)
    response = client.get(reverse("dashboards:province_export", args=[CHIANG_MAI]), {"fy": "2569"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-province-50-2569-')
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["ตัวเลขสรุป", "รายเดือน", "หนี้ตามประเภทเจ้าหนี้", "อันดับ"]
    figures = workbook["ตัวเลขสรุป"]
    assert figures["A1"].value.startswith("ตัวเลขสรุป · เชียงใหม่ · ปีงบประมาณ 2569 · จัดทำเมื่อ 15 พฤศจิกายน 2568")
    assert figures.freeze_panes == "A3"
    rows = list(figures.iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("หัวข้อ", "ตัวเลข", "ค่า", "ณ วันที่ / ช่วงเวลา", "สิ่งที่นับ")
    as_of = next(row for row in rows if row[0] == "ข้อมูล ณ วันที่")
    assert as_of[2].date() == date(2025, 11, 15)  # a date, shown in BE
    percent = next(row for row in figures.iter_rows(min_row=3) if row[1].value == "หนี้ที่ลดลง (ร้อยละ)")[2]
    assert percent.number_format == "0.0%"
    debt_now = next(row for row in rows if row[1] == "หนี้คงเหลือหลังรวมหนี้")
    assert debt_now[:4] == ("หนี้สิน", "หนี้คงเหลือหลังรวมหนี้", 60000, "ณ วันที่ 15 พฤศจิกายน 2568")
    assert debt_now[4].startswith("ครัวเรือนในโครงการ: เงินต้นที่ยังค้างตามสัญญากับศูนย์")  # what it counts
    by_label = {row[1]: row[2] for row in rows[1:]}
    assert Decimal(str(by_label["หนี้คงเหลือหลังรวมหนี้"])) == Decimal("60000")
    assert by_label["การเยี่ยมติดตาม"] == 4
    months = list(workbook["รายเดือน"].iter_rows(min_row=2, values_only=True))
    assert months[0][0] == "เดือน (วันแรกของเดือน)"
    assert [row[0].date() for row in months[1:]] == [date(2025, 10, 1), date(2025, 11, 1)]
    assert workbook["รายเดือน"]["A3"].number_format == "[$-1070000]dd/mm/yyyy"
    ranking = list(workbook["อันดับ"].iter_rows(min_row=2, values_only=True))
    assert ranking[0][:2] == ("อันดับ", "อำเภอ")
    assert [row[1] for row in ranking[1:]] == ["เมืองเชียงใหม่", "สันทราย"]


def test_center_export_has_no_ranking(client, officer, example):
    client.force_login(officer)
    response = client.get(reverse("dashboards:center_export", args=[example.pk]), {"fy": "all"})
    workbook = load_workbook(BytesIO(response.content))
    assert "อันดับ" not in workbook.sheetnames
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="dashboard-center-{example.pk}-all-'
    )


# --- speed -----------------------------------------------------------------------------------------------


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("level", ["nation", "province", "district", "center"])
@pytest.mark.parametrize("fy", ["", "2568", "all"])
def test_queries_do_not_grow_with_the_data(client, national, center, django_assert_num_queries, level, fy):
    client.force_login(national)
    code = {"nation": "TH", "province": CHIANG_MAI, "district": MUEANG_CHIANG_MAI, "center": str(center.pk)}[
        level
    ]
    url = {
        "nation": reverse("dashboards:home"),
        "province": reverse("dashboards:province", args=[CHIANG_MAI]),
        "district": reverse("dashboards:district", args=[MUEANG_CHIANG_MAI]),
        "center": reverse("dashboards:center", args=[center.pk]),
    }[level] + (f"?fy={fy}" if fy else "")
    small_centers = [str(CenterFactory().pk) for _ in range(3)] if level == "district" else None
    grow(level, code, children=3, months=12, child_codes=small_centers)
    client.get(url)  # warm the session and caches
    small = _count_queries(client, url)
    # The session, the user, the area, its rows and dues, the children (their rows in the month, older rows,
    # flows, dues, and for all time this fiscal year's flows) and their names.
    assert small <= 11
    AreaMonth.objects.all().delete()
    AreaDue.objects.all().delete()
    grow(level, code, children=40, months=48)
    with django_assert_num_queries(small):
        response = client.get(url)
    if level != "center":
        assert len(response.context["ranking"]) == 40
    assert len(response.context["board"].months) == {"": 2, "2568": 12, "all": 48}[fy]


# --- print ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_fixture", "url", "office"),
    [
        ("provincial", ("dashboards:province", CHIANG_MAI), "สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่"),
        ("officer", ("dashboards:district", MUEANG_CHIANG_MAI), "สำนักงานพัฒนาชุมชนอำเภอเมืองเชียงใหม่"),
        ("national", ("dashboards:province", CHIANG_MAI), ""),
    ],
)
def test_the_printed_page_names_the_office_and_the_print_date(
    client, request, example, user_fixture, url, office
):
    client.force_login(request.getfixturevalue(user_fixture))
    page = client.get(reverse(url[0], args=url[1:])).content.decode()
    header = page[page.index('id="print-header"') : page.index('id="dashboard-breadcrumb"')]
    assert "กรมการพัฒนาชุมชน" in header
    if office:
        assert office in header
    else:
        assert "สำนักงานพัฒนาชุมชน" not in header
    assert '<span id="print-date">15 พฤศจิกายน 2568 ' in header  # BE
