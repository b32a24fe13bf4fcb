"""The news post of a trip in the source report's own form (issue 15.3), paragraph by paragraph.

The trip is the demo's (visits/demo.py: the source report recorded through the pages), with the team and the
people met named as in the source report (fictional names in place of the real officers')."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests.factories import CenterFactory, VillageFactory
from visits.models import ReportStatus, Trip, TripMember
from visits.news import news_paragraphs, recommendation_text, team_text

from .factories import CenterReportFactory, TripFactory, TripMemberFactory

POSITION = "นักวิชาการพัฒนาชุมชนชำนาญการ"
OFFICE = "สำนักพัฒนาทุนและองค์กรการเงินชุมชน"


@pytest.fixture(scope="module")
def source_data(module_db, django_db_blocker):
    """seed_demo and the source report's names once for the module (tests/conftest.py, `module_db`); each
    test rolls back its own writes."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        name_the_team_as_in_the_source_report(Trip.objects.get())


@pytest.fixture
def source_trip(db, source_data):
    return Trip.objects.get()


def name_the_team_as_in_the_source_report(trip: Trip) -> None:
    names = ["น.ส.กานดา สีมาพันธ์", "น.ส.สุดา พุ่มทอง", "น.ส.กนกวรรณ กลีบบัว"]
    for member, name in zip(trip.members.order_by("sort_order"), names, strict=True):
        member.name = name
        member.save()
    trip.people_met = "\n".join(
        [
            "นายเจริญ ศรีวาโย พัฒนาการจังหวัดเชียงใหม่",
            "นางวนิดา ด้วงทอง พัฒนาการอำเภอสันทราย",
            "นักวิชาการจังหวัดเชียงใหม่",
            "พัฒนากรผู้ประสานงานตำบล",
        ]
    )
    trip.save()


def test_the_post_follows_the_source_report_paragraph_by_paragraph(source_trip):
    paragraphs = news_paragraphs(source_trip)
    assert paragraphs[0] == "ติดตามสนับสนุนและจัดการองค์ความรู้เพื่อพัฒนางานศูนย์จัดการกองทุนชุมชน"
    # the team: the leader with her position, the others with theirs written once, and their office
    assert paragraphs[1] == (
        "ระหว่างวันที่ 24-25 มีนาคม 2564 น.ส.กานดา สีมาพันธ์ นักวิชาการพัฒนาชุมชนชำนาญการ พร้อมด้วย "
        "น.ส.สุดา พุ่มทอง และน.ส.กนกวรรณ กลีบบัว นักวิชาการพัฒนาชุมชนชำนาญการ สำนักพัฒนาทุนและองค์กรการเงินชุมชน "
        "ลงพื้นที่ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชน ณ พื้นที่จังหวัดเชียงใหม่"
    )
    # the morning meeting: the itinerary's first stop, naming the provincial chief from the people met
    assert paragraphs[2] == (
        "ช่วงเช้าเข้าพบ นายเจริญ ศรีวาโย พัฒนาการจังหวัดเชียงใหม่ ชี้แจงวัตถุประสงค์ในการติดตามศูนย์จัดการกองทุนชุมชน "
        "พร้อมรับฟังข้อเสนอแนะในการดำเนินงานกองทุนชุมชน เพื่อนำไปพัฒนางาน"
    )
    # the first center: place, founding year, core funds, households, results, occupational groups and the
    # fund they work with, and one recommendation with one modal
    assert paragraphs[3] == (
        "1. ลงพื้นที่ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง หมู่ที่ 1 ตำบลท่าศาลา "
        "อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ ซึ่งจัดตั้งในปี 2560 มีกลุ่มออมทรัพย์เพื่อการผลิต และกองทุนหมู่บ้าน "
        "ร่วมเป็นแกนหลักในการขับเคลื่อนการดำเนินงาน "
        "ปัจจุบันมีครัวเรือนเข้าร่วมบริหารจัดการหนี้ 1 ครัวเรือน 1 สัญญา จำนวน 16 ครัวเรือน "
        "การบริหารจัดการหนี้ไม่สามารถปรับอัตราดอกเบี้ยให้เท่ากันได้ "
        "แต่ใช้หลักการประสานงานพูดคุยสร้างความเข้าใจแบบถ้อยทีถ้อยอาศัยในการบริหารจัดการหนี้ให้กับครัวเรือนเป้าหมาย "
        "สามารถลดหนี้/ปลดหนี้ให้ครัวเรือนเป้าหมายได้ "
        "อีกทั้งมีการส่งเสริมสนับสนุนการประกอบอาชีพเพื่อสร้างรายได้เพิ่มให้กับครัวเรือนเป้าหมาย คือ "
        "กลุ่มทำพริกแกงและอาชีพทำลูกประคบ จนประสบผลสำเร็จเป็นอย่างมาก "
        "ปัจจุบันกลุ่มอาชีพมีการบูรณาการร่วมกับกองทุนพัฒนาบทบาทสตรี ต่อยอดอาชีพและการตลาด "
        "จนสร้างรายได้ให้กับสมาชิกและมีเงินทุนหมุนเวียนภายในกลุ่มเพิ่มขึ้น "
        "ทั้งนี้คณะติดตามแนะนำให้คณะกรรมการจัดทำทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้ที่เป็นสมาชิกกลุ่ม"
        "และทะเบียนข้อมูลอื่น ๆ ให้ชัดเจนด้วย"
    )
    # the second center: its recognition records, the committee, households, results, the technique
    assert paragraphs[4] == (
        "2. ลงพื้นที่ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ หมู่ที่ 4 ตำบลแม่แฝก อำเภอสันทราย "
        "จังหวัดเชียงใหม่ ซึ่งจัดตั้งในปี 2554 และได้รับการคัดเลือกให้เป็นศูนย์จัดการกองทุนชุมชนดีเด่นระดับจังหวัด "
        "ปี 2564 ขณะนี้อยู่ในกระบวนการส่งคัดเลือกเป็นศูนย์จัดการฯ ต้นแบบระดับกรม ปี 2564 "
        "จากการติดตามพบว่า คณะกรรมการมีความเข้มแข็ง สามัคคี ปฏิบัติตามบทบาทหน้าที่อย่างเต็มที่ "
        "และมีผลการบริหารจัดการหนี้อย่างเป็นรูปธรรม "
        "ปัจจุบันมีครัวเรือนเข้าร่วมบริหารจัดการหนี้ 1 ครัวเรือน 1 สัญญา จำนวน 30 ครัวเรือน "
        "สามารถแก้ปัญหาหนี้ให้กับครัวเรือนเป้าหมายได้จนสามารถลดหนี้ ปลดหนี้ได้ ทั้งหนี้ในระบบและนอกระบบ "
        "โดยใช้เทคนิคการส่งเสริมการออมควบคู่กับการกู้ยืม ยิ่งกู้มากยิ่งต้องออมเพิ่ม "
        "เพื่อเป็นหลักประกันความเสี่ยงและส่งเสริมวินัยการออม "
        "ครัวเรือนที่เข้าร่วมโครงการมีความพึงพอใจที่มีศูนย์จัดการกองทุนชุมชนในหมู่บ้าน"
        "และเป็นส่วนหนึ่งที่ได้รับการแก้ปัญหาหนี้สิน จนตนเองสามารถลดหนี้/ปลดหนี้ และยังมีเงินออมเพิ่มขึ้นอีกด้วย "
        "ถือเป็นความสำเร็จและความภาคภูมิใจของคณะกรรมการและหมู่บ้าน"
    )
    # the thanks: who led the district office's team, and the others met
    assert paragraphs[5] == (
        "ในการนี้ขอขอบคุณสำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่ สำนักงานพัฒนาชุมชนอำเภอสันทราย "
        "นำทีมโดย นางวนิดา ด้วงทอง พัฒนาการอำเภอสันทราย ในการประสานงานพื้นที่ติดตามศูนย์จัดการฯ "
        "สนับสนุนข้อมูลและให้ความร่วมมือเป็นอย่างดี รวมทั้งนักวิชาการจังหวัดเชียงใหม่ พัฒนากรผู้ประสานงานตำบล "
        "และคณะกรรมการศูนย์จัดการฯ ที่ให้การต้อนรับและสนับสนุนข้อมูลเป็นอย่างดียิ่ง"
    )
    assert len(paragraphs) == 6


def test_the_leader_comes_first_whatever_the_order_of_the_team(source_trip):
    last = source_trip.members.order_by("sort_order").last()
    TripMember.objects.filter(trip=source_trip).update(is_leader=False)
    last.is_leader = True
    last.save()
    assert news_paragraphs(source_trip)[1].startswith(
        "ระหว่างวันที่ 24-25 มีนาคม 2564 น.ส.กนกวรรณ กลีบบัว นักวิชาการพัฒนาชุมชนชำนาญการ พร้อมด้วย "
        "น.ส.กานดา สีมาพันธ์ และน.ส.สุดา พุ่มทอง นักวิชาการ"
    )


def test_the_team_line_groups_positions_and_keeps_offices(db):
    trip = TripFactory()
    leader = TripMemberFactory(
        trip=trip, name="สมศรี ใจดี", position="พัฒนาการอำเภอ", office="สพอ.เมือง", is_leader=True
    )
    first = TripMemberFactory(trip=trip, name="นายก ข", office="สพจ.เชียงใหม่")
    second = TripMemberFactory(trip=trip, name="นายค ง", office="สพจ.เชียงใหม่")
    unnamed = [TripMemberFactory(trip=trip, office="สพอ.เมือง") for _ in range(2)]
    assert team_text([first, leader, second, *unnamed]) == (
        "สมศรี ใจดี พัฒนาการอำเภอ สพอ.เมือง พร้อมด้วย นายก ข และนายค ง นักวิชาการพัฒนาชุมชนชำนาญการ "
        "สพจ.เชียงใหม่ และนักวิชาการพัฒนาชุมชนชำนาญการ สพอ.เมือง จำนวน 2 คน"
    )


def test_multi_line_strengths_keep_their_sentences_apart(source_trip):
    report = source_trip.reports.get(center__name__endswith="บวกครกหลวง")
    report.strengths = "คณะกรรมการเข้มแข็ง\nเทคนิค:ออมก่อนกู้\n\nสมาชิกพึงพอใจ"
    report.save()
    paragraph = news_paragraphs(source_trip)[3]
    assert "เทคนิค:" not in paragraph
    assert "โดยใช้เทคนิคออมก่อนกู้" in paragraph
    assert "คณะกรรมการเข้มแข็ง สมาชิกพึงพอใจ ทั้งนี้คณะติดตามแนะนำ" in paragraph


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("คณะกรรมการควรจัดทำทะเบียนลูกหนี้", "คณะกรรมการจัดทำทะเบียนลูกหนี้"),
        ("ควรจะจัดทำทะเบียนลูกหนี้", "จัดทำทะเบียนลูกหนี้"),
        ("คณะกรรมการศูนย์ฯ ควร จัดประชุม.", "คณะกรรมการศูนย์ฯ จัดประชุม"),
        ("จัดประชุมตามสมควร", "จัดประชุมตามสมควร"),
    ],
)
def test_a_recommendation_has_one_modal(typed, written):
    assert recommendation_text(typed) == written


def test_the_post_is_the_same_whoever_opens_it(client, source_trip):
    texts = set()
    for username in ("officer_sansai", "officer_mueang", "department"):
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("visits:trip_news", args=[source_trip.pk]))
        assert response.status_code == 200
        texts.add(response.context["text"])
    (text,) = texts
    assert "บ้านบวกครกหลวง หมู่ที่ 1" in text
    assert "บ้านหนองมะจับ หมู่ที่ 4" in text


def test_an_outsider_cannot_open_the_post(client, source_trip, other_province):
    client.force_login(other_province)  # Lampang's staff: the trip is in Chiang Mai
    assert client.get(reverse("visits:trip_news", args=[source_trip.pk])).status_code == 404


def test_a_draft_of_another_district_is_counted_as_left_out(client, source_trip):
    center = CenterFactory(name="ศูนย์ทดสอบท่าศาลา", village=VillageFactory(subdistrict_id="500112", moo=9))
    CenterReportFactory(
        trip=source_trip, center=center, visit_date=date(2021, 3, 24), status=ReportStatus.DRAFT
    )
    client.force_login(User.objects.get(username="officer_sansai"))
    assert client.get(reverse("visits:trip_news", args=[source_trip.pk])).context["left_out"] == 1
