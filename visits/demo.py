"""The monitoring trip of the source report: the department's visit to two Chiang Mai centers, 24–25 March
2564, with its two center reports and the recommendation that a committee keep a debtor registry.

The team appears by position only. Which center was visited on which day, the times of the itinerary, the
people met, the registries ticked and the follow-up note are invented; the findings are the report's.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import User
from centers.models import Center

from . import services
from .models import (
    AddressedTo,
    CenterReport,
    FollowUp,
    ItineraryStop,
    Recommendation,
    RecommendationStatus,
    RegistryKind,
    ReportStatus,
    Trip,
    TripLevel,
    TripMember,
)
from .registries import ensure_standard_registry_kinds

BANGKOK = ZoneInfo("Asia/Bangkok")
BUAK_KHROK_LUANG = "ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง"
NONG_MA_CHAP = "ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ"
TEAM_POSITION = "นักวิชาการพัฒนาชุมชนชำนาญการ"
TEAM_OFFICE = "สำนักพัฒนาทุนและองค์กรการเงินชุมชน"

TRIP = {
    "title": "ติดตามสนับสนุนและจัดการองค์ความรู้เพื่อพัฒนางานศูนย์จัดการกองทุนชุมชน",
    "level": TripLevel.DEPARTMENT,
    "purpose": "ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชน สนับสนุนและจัดการองค์ความรู้เพื่อพัฒนางาน (CDD Change For Good)",
    "ordered_by": "ผู้อำนวยการสำนักพัฒนาทุนและองค์กรการเงินชุมชน",
    "start_date": date(2021, 3, 24),
    "end_date": date(2021, 3, 25),
    "province_id": "50",
    "district": None,
    "helping_offices": "\n".join(
        [
            "สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่",
            "สำนักงานพัฒนาชุมชนอำเภอสันทราย",
        ]
    ),
    "people_met": "\n".join(
        [
            "พัฒนาการจังหวัดเชียงใหม่",
            "พัฒนาการอำเภอสันทราย",
            "นักวิชาการจังหวัดเชียงใหม่",
            "พัฒนากรผู้ประสานงานตำบล",
        ]
    ),
}

STOPS = [
    # date, time, description, center name
    (
        date(2021, 3, 24),
        time(8, 30),
        "เข้าพบพัฒนาการจังหวัดเชียงใหม่ ชี้แจงวัตถุประสงค์ในการติดตามศูนย์จัดการกองทุนชุมชน "
        "พร้อมรับฟังข้อเสนอแนะในการดำเนินงานกองทุนชุมชน เพื่อนำไปพัฒนางาน",
        None,
    ),
    (date(2021, 3, 24), time(10, 0), "ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง", BUAK_KHROK_LUANG),
    (date(2021, 3, 25), time(9, 30), "ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ", NONG_MA_CHAP),
]

REPORTS = {
    BUAK_KHROK_LUANG: {
        "visit_date": date(2021, 3, 24),
        "people_met": "ประธานศูนย์จัดการกองทุนชุมชน\nคณะกรรมการศูนย์จัดการกองทุนชุมชน\nพัฒนากรผู้ประสานงานตำบลท่าศาลา",
        "people_met_count": 12,
        "finding_committee": "",
        "finding_funds": "มีกลุ่มออมทรัพย์เพื่อการผลิต และกองทุนหมู่บ้าน ร่วมเป็นแกนหลักในการขับเคลื่อนการดำเนินงาน",
        "finding_contracts": "การบริหารจัดการหนี้ไม่สามารถปรับอัตราดอกเบี้ยให้เท่ากันได้ "
        "แต่ใช้หลักการประสานงานพูดคุยสร้างความเข้าใจแบบถ้อยทีถ้อยอาศัยในการบริหารจัดการหนี้ให้กับครัวเรือนเป้าหมาย "
        "สามารถลดหนี้/ปลดหนี้ให้ครัวเรือนเป้าหมายได้",
        "finding_savings": "",
        "finding_registries": "ยังไม่มีทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้ที่เป็นสมาชิกกลุ่มที่ชัดเจน",
        "finding_occupations": "อีกทั้งมีการส่งเสริมสนับสนุนการประกอบอาชีพเพื่อสร้างรายได้เพิ่มให้กับครัวเรือนเป้าหมาย "
        "คือ กลุ่มทำพริกแกงและอาชีพทำลูกประคบ จนประสบผลสำเร็จเป็นอย่างมาก\n"
        "ปัจจุบันกลุ่มอาชีพมีการบูรณาการร่วมกับกองทุนพัฒนาบทบาทสตรี ต่อยอดอาชีพและการตลาด "
        "จนสร้างรายได้ให้กับสมาชิกและมีเงินทุนหมุนเวียนภายในกลุ่มเพิ่มขึ้น",
        "strengths": "",
        "problems": "กองทุนสมาชิกไม่สามารถปรับอัตราดอกเบี้ยให้เท่ากันได้",
        "snapshot_households_enrolled": 16,
    },
    NONG_MA_CHAP: {
        "visit_date": date(2021, 3, 25),
        "people_met": "พัฒนาการอำเภอสันทราย\nประธานศูนย์จัดการกองทุนชุมชน\nคณะกรรมการศูนย์จัดการกองทุนชุมชน\n"
        "ผู้แทนครัวเรือนเป้าหมาย",
        "people_met_count": 20,
        "finding_committee": "คณะกรรมการมีความเข้มแข็ง สามัคคี ปฏิบัติตามบทบาทหน้าที่อย่างเต็มที่ "
        "และมีผลการบริหารจัดการหนี้อย่างเป็นรูปธรรม",
        "finding_funds": "",
        "finding_contracts": "สามารถแก้ปัญหาหนี้ให้กับครัวเรือนเป้าหมายได้จนสามารถลดหนี้ ปลดหนี้ได้ ทั้งหนี้ในระบบและนอกระบบ",
        "finding_savings": "ครัวเรือนที่เข้าร่วมโครงการมีความพึงพอใจที่มีศูนย์จัดการกองทุนชุมชนในหมู่บ้าน"
        "และเป็นส่วนหนึ่งที่ได้รับการแก้ปัญหาหนี้สิน จนตนเองสามารถลดหนี้/ปลดหนี้ และยังมีเงินออมเพิ่มขึ้นอีกด้วย",
        "finding_registries": "",
        "finding_occupations": "",
        "strengths": "เทคนิค: การส่งเสริมการออมควบคู่กับการกู้ยืม ยิ่งกู้มากยิ่งต้องออมเพิ่ม "
        "เพื่อเป็นหลักประกันความเสี่ยงและส่งเสริมวินัยการออม\n"
        "ถือเป็นความสำเร็จและความภาคภูมิใจของคณะกรรมการและหมู่บ้าน",
        "problems": "",
        "snapshot_households_enrolled": 30,
    },
}

REGISTRIES_KEPT = {
    BUAK_KHROK_LUANG: ["members", "member-funds", "contracts", "cash-book"],
    NONG_MA_CHAP: [
        "members",
        "member-funds",
        "debt-survey",
        "target-households",
        "contracts",
        "debtors",
        "savings",
        "cash-book",
        "minutes",
    ],
}

RECOMMENDATION = "คณะกรรมการควรจัดทำทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้ที่เป็นสมาชิกกลุ่มและทะเบียนข้อมูลอื่น ๆ ให้ชัดเจน"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BANGKOK)


def _save_as_of(report: CenterReport, reason: str, *, by: User, at: datetime) -> None:
    """A review step dated and signed as in 2564 (django-simple-history's _history_date/_history_user)."""
    report._history_date, report._history_user = at, by
    try:
        services.save_step(report, reason)
    finally:
        del report._history_date, report._history_user


def seed(stdout, today: date) -> None:
    ensure_standard_registry_kinds(RegistryKind)
    department = User.objects.get(username="department")
    reviewer = User.objects.get(username="reviewer_department")  # a department trip: the department reviews
    officer = User.objects.get(username="officer_mueang")
    centers = {center.name: center for center in Center.objects.filter(name__in=REPORTS)}

    trip, _created = Trip.objects.update_or_create(
        title=TRIP["title"],
        start_date=TRIP["start_date"],
        province_id=TRIP["province_id"],
        defaults={**TRIP, "created_by": department},
    )
    for order in range(1, 4):
        TripMember.objects.update_or_create(
            trip=trip,
            sort_order=order,
            defaults={"position": TEAM_POSITION, "office": TEAM_OFFICE, "name": "", "is_leader": order == 1},
        )
    for day, at, description, center_name in STOPS:
        ItineraryStop.objects.update_or_create(
            trip=trip,
            date=day,
            time=at,
            defaults={"description": description, "center": centers.get(center_name)},
        )

    for center_name, fields in REPORTS.items():
        report = CenterReport.objects.filter(trip=trip, center=centers[center_name]).first()
        visit_date = fields["visit_date"]
        if report is None:
            report = CenterReport(trip=trip, center=centers[center_name], author=department)
            for name, value in fields.items():
                setattr(report, name, value)
            report.snapshot_taken_at = report.submitted_at = _at(visit_date + timedelta(days=1), 9)
            report.snapshot_frozen = True
            report.status = ReportStatus.SUBMITTED
            _save_as_of(report, services.REASON_SUBMITTED, by=department, at=report.submitted_at)
            report.status = ReportStatus.ACCEPTED
            report.reviewed_by = reviewer
            report.reviewed_at = _at(visit_date + timedelta(days=5), 14)
            _save_as_of(report, services.REASON_ACCEPTED, by=reviewer, at=report.reviewed_at)
        else:
            CenterReport.objects.filter(pk=report.pk).update(**fields)
        report.registries_kept.set(RegistryKind.objects.filter(code__in=REGISTRIES_KEPT[center_name]))

    buak = CenterReport.objects.get(trip=trip, center=centers[BUAK_KHROK_LUANG])
    recommendation, _created = Recommendation.objects.update_or_create(
        report=buak,
        sort_order=0,
        defaults={
            "text": RECOMMENDATION,
            "addressed_to": AddressedTo.COMMITTEE,
            "due_date": date(2021, 6, 30),
            "status": RecommendationStatus.IN_PROGRESS,
        },
    )
    FollowUp.objects.update_or_create(
        recommendation=recommendation,
        date=date(2021, 5, 20),
        defaults={
            "note": "คณะกรรมการเริ่มจัดทำทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้ครบทุกครัวเรือนเป้าหมายแล้ว "
            "อยู่ระหว่างจัดทำทะเบียนข้อมูลอื่น ๆ",
            "status": RecommendationStatus.IN_PROGRESS,
            "author": officer,
        },
    )
    stdout.write("Visits: the monitoring trip of 24–25 March 2564 with its two center reports.")
