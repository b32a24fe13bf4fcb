"""The demo trip of the source report, and the news post written from it."""

from datetime import date, time

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from visits.models import (
    CenterReport,
    FollowUp,
    ItineraryStop,
    Recommendation,
    ReportStatus,
    Trip,
    TripLevel,
    TripMember,
)
from visits.news import date_range_text, news_post, team_text

from .factories import CenterReportFactory, TripFactory, TripMemberFactory


@pytest.fixture(scope="module")
def demo_data(module_db, django_db_blocker):
    """seed_demo once for the module (tests/conftest.py, `module_db`); each test rolls back its own writes."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def demo_trip(db, demo_data):
    return Trip.objects.get()


def counts():
    return tuple(
        model.objects.count()
        for model in (Trip, TripMember, ItineraryStop, CenterReport, Recommendation, FollowUp)
    )


def test_seed_demo_twice_creates_each_record_once(demo_trip):
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first == (1, 3, 3, 2, 1, 1)


def test_the_demo_trip_is_the_source_report(demo_trip):
    assert (demo_trip.level, demo_trip.province_id, demo_trip.district_id) == (
        TripLevel.DEPARTMENT,
        "50",
        None,
    )
    assert (demo_trip.start_date, demo_trip.end_date) == (date(2021, 3, 24), date(2021, 3, 25))
    members = list(demo_trip.members.all())
    assert {member.position for member in members} == {"นักวิชาการพัฒนาชุมชนชำนาญการ"}
    assert all(member.name == "" and member.user is None for member in members)  # by position, not by name
    first = demo_trip.stops.first()
    assert (first.time, first.center) == (time(8, 30), None)
    assert "พัฒนาการจังหวัดเชียงใหม่" in first.description
    reports = {report.center.name: report for report in demo_trip.reports.select_related("center")}
    assert set(reports) == {"ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง", "ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ"}
    assert all(report.status == ReportStatus.ACCEPTED for report in reports.values())
    buak = reports["ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง"]
    assert "ทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้" in buak.recommendations.get().text
    assert not buak.registries_kept.filter(code="debt-survey").exists()
    assert "ยิ่งกู้มากยิ่งต้องออมเพิ่ม" in reports["ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ"].strengths
    assert list(
        buak.history.exclude(history_change_reason=None).values_list("history_change_reason", flat=True)
    )


def test_news_post_of_the_demo_trip(demo_trip):
    """The demo team is recorded by position only: counted once, with its office (the paragraphs of a named
    team are checked one by one in test_news.py)."""
    lines = news_post(demo_trip).splitlines()
    assert lines[0] == "ติดตามสนับสนุนและจัดการองค์ความรู้เพื่อพัฒนางานศูนย์จัดการกองทุนชุมชน"
    assert lines[2] == (
        "ระหว่างวันที่ 24-25 มีนาคม 2564 นักวิชาการพัฒนาชุมชนชำนาญการ สำนักพัฒนาทุนและองค์กรการเงินชุมชน "
        "จำนวน 3 คน ลงพื้นที่ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชน ณ พื้นที่จังหวัดเชียงใหม่"
    )
    assert lines[3].startswith("ช่วงเช้าเข้าพบพัฒนาการจังหวัดเชียงใหม่ ชี้แจงวัตถุประสงค์")
    assert lines[4].startswith("1. ลงพื้นที่ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง หมู่ที่ 1")
    assert lines[5].startswith("2. ลงพื้นที่ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ หมู่ที่ 4")
    assert lines[6].startswith(
        "ในการนี้ขอขอบคุณสำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่ สำนักงานพัฒนาชุมชนอำเภอสันทราย "
        "นำทีมโดย พัฒนาการอำเภอสันทราย ในการประสานงานพื้นที่"
    )
    assert len(lines) == 7


def test_news_post_in_english(demo_trip):
    text = news_post(demo_trip, lang="en")
    assert text.startswith("ติดตามสนับสนุน")  # the title and the findings stay as written
    assert "During 24-25 March 2564 BE, นักวิชาการพัฒนาชุมชนชำนาญการ" in text
    assert "Chiang Mai province" in text
    assert "1. Visited and followed up the work of ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง, village no. 1" in text


def demo_user(username):
    return User.objects.get(username=username)


def test_news_page_is_thai_even_for_an_english_screen(client, demo_trip):
    client.force_login(demo_user("province_cm"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("visits:trip_news", args=[demo_trip.pk]))
    assert "ระหว่างวันที่ 24-25 มีนาคม 2564" in response.content.decode()
    assert "News post" in response.content.decode()


def test_news_leaves_drafts_out(client, demo_trip, sansai_center):
    draft = CenterReportFactory(trip=demo_trip, center=sansai_center, visit_date=date(2021, 3, 25))
    draft.strengths = "ร่างที่ยังไม่ส่ง"
    draft.save()
    assert "ร่างที่ยังไม่ส่ง" not in news_post(demo_trip)
    client.force_login(demo_user("department"))
    assert client.get(reverse("visits:trip_news", args=[demo_trip.pk])).context["left_out"] == 1


def test_date_ranges():
    assert date_range_text(date(2021, 3, 24), date(2021, 3, 24)) == "24 มีนาคม 2564"
    assert date_range_text(date(2021, 3, 30), date(2021, 4, 2)) == "30 มีนาคม - 2 เมษายน 2564"
    assert date_range_text(date(2021, 12, 30), date(2022, 1, 2)) == "30 ธันวาคม 2564 - 2 มกราคม 2565"


def test_team_names_named_members_and_counts_the_others(db):
    trip = TripFactory()
    named = TripMemberFactory(trip=trip, name="สมศรี ใจดี", position="พัฒนาการอำเภอ", is_leader=True)
    others = [TripMemberFactory(trip=trip, office="สพอ.") for _ in range(2)]
    assert team_text([named, *others]) == (
        "สมศรี ใจดี พัฒนาการอำเภอ พร้อมด้วย นักวิชาการพัฒนาชุมชนชำนาญการ สพอ. จำนวน 2 คน"
    )
    assert team_text([named]) == "สมศรี ใจดี พัฒนาการอำเภอ"
    assert team_text([]) == "คณะติดตาม"
