"""The home page's to-do list (core.todo and the apps' todo modules): what waits for each role, each item
linking to the page that resolves it, only within the user's scope, in a bounded number of queries."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers.models import CommitteeMember
from core.todo import fiscal_year_start, week_of
from tests.contracts.factories import draw_up, sign
from tests.factories import MAE_FAEK, SAN_SAI, CenterFactory, MemberFundFactory, UserFactory, VillageFactory
from tests.households.factories import HouseholdFactory
from tests.visits.factories import CenterReportFactory, RecommendationFactory, TripFactory
from visits.models import ReportStatus

pytestmark = pytest.mark.django_db

TODAY = date(2024, 5, 1)  # a Wednesday: this week runs from 29 April to 5 May, when an instalment falls due
SUBMITTED_AT = datetime(2024, 4, 2, 9, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


def build_district(author, provincial, *, centers: int, subdistrict: str, district: str) -> list:
    """`centers` centers of one district, each with: a signed contract not repaid (first instalment 5 March
    2024, so in arrears, and one falling due on 5 May), a draft contract, a report returned with a comment,
    a submitted report with an overdue recommendation, a committee member whose term ends on 1 June 2024;
    and one more center never visited."""
    trip = TripFactory(created_by=author, district_id=district)
    second_trip = TripFactory(
        created_by=author, district_id=district, start_date=date(2024, 4, 2), end_date=date(2024, 4, 2)
    )
    made = []
    for index in range(centers):
        center = CenterFactory(
            name=f"ศูนย์ {district}-{index}", village=VillageFactory(subdistrict_id=subdistrict)
        )
        fund = MemberFundFactory(center=center)
        sign(
            author,
            draw_up(author, household=HouseholdFactory(center=center), fund=fund, principal="12000.00"),
        )
        draw_up(author, household=HouseholdFactory(center=center), fund=fund)
        CenterReportFactory(
            trip=trip,
            center=center,
            author=author,
            status=ReportStatus.RETURNED,
            submitted_at=SUBMITTED_AT,
            reviewed_by=provincial,
            review_comment=f"เพิ่มตัวเลขครัวเรือน {district}-{index}",
        )
        submitted = CenterReportFactory(
            trip=second_trip,
            center=center,
            author=author,
            status=ReportStatus.SUBMITTED,
            submitted_at=SUBMITTED_AT,
        )
        RecommendationFactory(report=submitted, due_date=date(2024, 4, 20))
        CommitteeMember.objects.create(
            center=center,
            full_name="นายทดสอบ",
            role="member",
            term_start=date(2022, 6, 2),
            term_end=date(2024, 6, 1),
        )
        made.append(center)
    CenterFactory(name=f"ศูนย์ไม่ได้เยี่ยม {district}", village=VillageFactory(subdistrict_id=subdistrict))
    return made


@pytest.fixture
def districts(officer, outsider, provincial, time_machine):
    """Builds `n` centers in the officer's district and two in the outsider's; answers the officer's."""
    time_machine.move_to(date(2024, 2, 20))

    def build(n: int) -> list:
        time_machine.move_to(date(2024, 2, 20))
        mine = build_district(officer, provincial, centers=n, subdistrict="500112", district="5001")
        build_district(outsider, provincial, centers=2, subdistrict=MAE_FAEK, district=SAN_SAI)
        time_machine.move_to(datetime(2024, 5, 1, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok")))
        return mine

    return build


def section(html: str, key: str) -> str:
    match = re.search(rf'<section class="card mb-3" id="todo-{key}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def items(html: str, key: str) -> list[tuple[str, str]]:
    """(link, count) of each item of a section."""
    return re.findall(r'href="([^"]+)">.*?rounded-pill">(\d+)<', section(html, key), re.S)


def home(client, user) -> tuple[str, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_week_and_fiscal_year():
    assert week_of(TODAY) == (date(2024, 4, 29), date(2024, 5, 5))
    assert fiscal_year_start(date(2024, 9, 30)) == date(2023, 10, 1)
    assert fiscal_year_start(date(2024, 10, 1)) == date(2024, 10, 1)


def test_the_officer_sees_what_waits_in_their_district_only(client, officer, districts):
    mine = districts(2)
    html, _queries = home(client, officer)
    by_center = sorted(
        [(reverse("contracts:collection_sheet", args=[c.pk]), "1") for c in mine], key=lambda item: item[0]
    )
    assert sorted(items(html, "due-this-week")) == by_center
    assert sorted(items(html, "in-arrears")) == sorted(
        (reverse("contracts:arrears", args=[c.pk]), "1") for c in mine
    )
    assert items(html, "contract-drafts") == [(reverse("contracts:contract_list") + "?status=draft", "2")]
    returned = section(html, "returned-reports")
    assert "เพิ่มตัวเลขครัวเรือน 5001-0" in returned
    assert "เพิ่มตัวเลขครัวเรือน 5001-1" in returned
    assert items(html, "recommendations-due") == [
        (reverse("visits:recommendation_list") + "?overdue=on", "2")
    ]
    assert sorted(items(html, "committee-terms")) == sorted(
        (reverse("centers:center_detail", args=[c.pk]) + "#committee", "1") for c in mine
    )
    # nothing of San Sai, the outsider's district
    assert "5014" not in html
    assert "ศูนย์ไม่ได้เยี่ยม" not in html
    # overseers' items are not an officer's
    assert 'id="todo-reviews-waiting"' not in html
    assert 'id="todo-not-visited"' not in html


def test_the_outsider_sees_their_own_items(client, outsider, districts):
    districts(1)
    html, _queries = home(client, outsider)
    assert items(html, "contract-drafts") == [(reverse("contracts:contract_list") + "?status=draft", "2")]
    assert "เพิ่มตัวเลขครัวเรือน 5014-0" in section(html, "returned-reports")
    assert "5001-0" not in html


def test_provincial_staff_see_their_province_by_district(client, provincial, districts):
    districts(1)
    reviewer = UserFactory(provincial=True)  # the reports are not theirs to review when they wrote them
    html, _queries = home(client, reviewer)
    reviews = reverse("visits:report_list") + "?status=submitted"
    assert items(html, "reviews-waiting") == [(reviews, "2"), (reviews, "1")]  # San Sai 2, Mueang 1
    assert "สันทราย" in section(html, "reviews-waiting")
    assert sorted(items(html, "not-visited")) == sorted(
        [
            (reverse("centers:center_list") + "?district=5001", "1"),
            (reverse("centers:center_list") + "?district=5014", "1"),
        ]
    )
    overdue = reverse("visits:recommendation_list") + "?overdue=on"
    assert items(html, "overdue-recommendations") == [(overdue, "2"), (overdue, "1")]
    assert 'id="todo-contract-drafts"' not in html


def test_department_staff_see_every_province(client, national, districts):
    districts(1)
    CenterFactory(name="ศูนย์ลำปาง", village=VillageFactory(subdistrict_id="520101"))
    html, _queries = home(client, national)
    assert sorted(items(html, "not-visited")) == [
        (reverse("centers:center_list") + "?province=50", "2"),
        (reverse("centers:center_list") + "?province=52", "1"),
    ]
    overdue = reverse("visits:recommendation_list") + "?overdue=on"
    assert items(html, "overdue-recommendations") == [(overdue, "3")]


def test_provincial_staff_of_another_province_see_nothing_of_chiang_mai(client, other_province, districts):
    districts(1)
    html, _queries = home(client, other_province)
    assert 'id="todo-empty"' in html


@pytest.mark.parametrize("role", ["officer", "provincial", "national"])
def test_the_home_page_reads_the_same_number_of_queries_at_two_sizes(
    client, request, districts, role, django_assert_max_num_queries
):
    districts(1)
    user = request.getfixturevalue(role)
    _html, small = home(client, user)
    districts(4)
    with django_assert_max_num_queries(15):  # the to-do list, the counts, the session, the user and its badge
        assert client.get(reverse("core:home")).status_code == 200
    _html, large = home(client, user)
    assert large == small
