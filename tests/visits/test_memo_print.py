"""The printed report is an official memo (issue 15.4): บันทึกข้อความ with its heading, the team and the
itinerary, signed by the trip's leader (the member ticked as leading the team), whoever prints it."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from visits.models import ItineraryStop, ReportStatus, TripLevel

from .factories import CenterReportFactory, TripFactory, TripMemberFactory


def text_of(html: str, element_id: str) -> str:
    ends = {"memo-heading": "</header>", "memo-team": "</ol>", "memo-itinerary": "</table>"}
    end = re.escape(ends.get(element_id, "<footer"))
    match = re.search(rf'id="{element_id}"[^>]*>(.*?){end}', html, re.S)
    assert match, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def printed(center, officer):
    leader = UserFactory(
        username="leader", first_name="สมหญิง", last_name="นำทีม", position_title="พัฒนาการอำเภอ"
    )
    trip = TripFactory(
        level=TripLevel.DISTRICT,
        created_by=officer,
        ordered_by="นายอำเภอเมืองเชียงใหม่",
    )
    # the leader is not the first member of the team
    TripMemberFactory(trip=trip, position="นักวิชาการพัฒนาชุมชนชำนาญการ", office="สพอ.เมืองเชียงใหม่", sort_order=0)
    TripMemberFactory(trip=trip, user=leader, position="", sort_order=1, is_leader=True)
    ItineraryStop.objects.create(
        trip=trip, date=date(2024, 3, 24), time=time(8, 30), description="เข้าพบนายอำเภอ"
    )
    ItineraryStop.objects.create(
        trip=trip, date=date(2024, 3, 25), time=time(9, 30), description="ติดตามศูนย์ฯ", center=center
    )
    submitted = datetime(2024, 3, 27, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    return CenterReportFactory(
        trip=trip, center=center, author=officer, status=ReportStatus.SUBMITTED, submitted_at=submitted
    )


def test_the_print_is_a_memo_signed_by_the_leader(client, printed, provincial):
    client.force_login(provincial)  # whoever prints it: the leader signs, not the one logged in
    html = client.get(reverse("visits:report_print", args=[printed.pk])).content.decode()
    heading = text_of(html, "memo-heading")
    assert heading.startswith("บันทึกข้อความ")
    assert "ส่วนราชการ สำนักงานพัฒนาชุมชนอำเภอเมืองเชียงใหม่" in heading  # the leader's account's office
    assert re.search(r"ที่ \S", heading)
    assert "วันที่ 27 มีนาคม 2567" in heading  # the day it was submitted
    assert f"เรื่อง รายงานผลการติดตามการดำเนินงาน{printed.center}" in heading
    assert "เรียน นายอำเภอเมืองเชียงใหม่" in heading
    team = text_of(html, "memo-team")
    assert "สมหญิง นำทีม พัฒนาการอำเภอ" in team
    assert "นักวิชาการพัฒนาชุมชนชำนาญการ สพอ.เมืองเชียงใหม่" in team
    itinerary = text_of(html, "memo-itinerary")
    assert itinerary.index("08.30") < itinerary.index("เข้าพบนายอำเภอ") < itinerary.index("09.30")
    assert f"ติดตามศูนย์ฯ ({printed.center})" in itinerary
    signature = text_of(html, "memo-signature")
    assert signature.startswith("( สมหญิง นำทีม )") or signature.startswith("(สมหญิง นำทีม)")
    assert "พัฒนาการอำเภอ" in signature
    assert provincial.last_name not in signature
    assert (
        html.index('id="memo-team"') < html.index('id="recommendations"') < html.index('id="memo-signature"')
    )


def test_the_same_memo_for_every_reader(client, printed, officer, provincial):
    def signature(user):
        client.force_login(user)
        return text_of(
            client.get(reverse("visits:report_print", args=[printed.pk])).content.decode(), "memo-signature"
        )

    assert signature(officer) == signature(provincial)


def test_a_department_trip_without_order_or_named_leader(client, center, national):
    trip = TripFactory(level=TripLevel.DEPARTMENT, district_id=None, ordered_by="")
    TripMemberFactory(trip=trip, position="นักวิชาการพัฒนาชุมชนชำนาญการ", office="", is_leader=True)
    report = CenterReportFactory(trip=trip, center=center, author=national)
    client.force_login(national)
    html = client.get(reverse("visits:report_print", args=[report.pk])).content.decode()
    heading = text_of(html, "memo-heading")
    assert "ส่วนราชการ กรมการพัฒนาชุมชน" in heading
    assert "เรียน อธิบดีกรมการพัฒนาชุมชน" in heading
    signature = text_of(html, "memo-signature")
    assert signature.startswith("(………")  # a line for the leader to sign and write their name
    assert "นักวิชาการพัฒนาชุมชนชำนาญการ" in signature


def test_an_outsider_cannot_print_it(client, printed, outsider):
    client.force_login(outsider)
    assert client.get(reverse("visits:report_print", args=[printed.pk])).status_code == 404


def test_the_memo_reads_a_bounded_number_of_rows(
    client, printed, officer, center, django_assert_max_num_queries
):
    def add(count: int) -> None:
        trip = printed.trip
        for n in range(count):
            TripMemberFactory(
                trip=trip, user=UserFactory(username=f"member{trip.members.count()}"), position=""
            )
            ItineraryStop.objects.create(
                trip=trip, date=date(2024, 3, 25), description=f"จุด {n}", center=center
            )

    client.force_login(officer)
    url = reverse("visits:report_print", args=[printed.pk])
    add(2)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("จุด ") == 22
