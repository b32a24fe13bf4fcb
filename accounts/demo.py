"""One demo login per role. The password is published in the README: development only."""

from datetime import date

from core.scoping import OfficeLevel

from .models import User

DEMO_PASSWORD = "kongtun-demo"

DEMO_USERS = [
    # username, first name, last name, position, level, province, district, superuser
    ("officer_mueang", "สมศรี", "ใจดี", "นักวิชาการพัฒนาชุมชนชำนาญการ", OfficeLevel.DISTRICT, None, "5001", False),
    ("officer_sansai", "สมชาย", "รักถิ่น", "นักวิชาการพัฒนาชุมชนปฏิบัติการ", OfficeLevel.DISTRICT, None, "5014", False),
    ("province_cm", "วิภา", "ศรีเมือง", "นักวิชาการพัฒนาชุมชนชำนาญการพิเศษ", OfficeLevel.PROVINCE, "50", None, False),
    ("department", "กนกพร", "มั่นคง", "นักวิชาการพัฒนาชุมชนชำนาญการ", OfficeLevel.DEPARTMENT, None, None, False),
    ("reviewer_department", "ประเสริฐ", "ตรวจดี", "ผู้อำนวยการกลุ่มงาน", OfficeLevel.DEPARTMENT, None, None, False),
    ("admin", "ผู้ดูแล", "ระบบ", "ผู้ดูแลระบบ", OfficeLevel.DEPARTMENT, None, None, True),
]
# who reviews visit reports (accounts.User.reviews_reports): the department's reviewer
DEMO_REVIEWERS = {"reviewer_department"}


def seed(stdout, today: date) -> None:
    for username, first, last, position, level, province, district, superuser in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "position_title": position,
                "office_level": level,
                "province_id": province,
                "district_id": district,
                "is_superuser": superuser,
                "is_staff": superuser,
                "reviews_reports": username in DEMO_REVIEWERS,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    names = ", ".join(row[0] for row in DEMO_USERS)
    stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'): {names}")
