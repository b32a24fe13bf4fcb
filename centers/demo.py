"""The two centers of the source report (monitoring trip of 24–25 March 2564) with their funds, committee,
groups and recognitions. Figures and committee names are invented; the people are fictional.
"""

from datetime import date
from decimal import Decimal

from geography.models import Village

from .models import (
    Center,
    CommitteeMember,
    CommitteeRole,
    FundType,
    GroupRevenue,
    MemberFund,
    OccupationalGroup,
    RateUnit,
    Recognition,
)

BUAK_KHROK_LUANG = "ศูนย์จัดการกองทุนชุมชนบ้านบวกครกหลวง"
NONG_MA_CHAP = "ศูนย์จัดการกองทุนชุมชนบ้านหนองมะจับ"

DEMO_CENTERS = [
    # village code, name, founded year (BE)
    ("50011201", BUAK_KHROK_LUANG, 2560),
    ("50140904", NONG_MA_CHAP, 2554),
]

# center, type, name, core, holds money, capital, as of, members, rate, unit
DEMO_FUNDS = [
    (BUAK_KHROK_LUANG, FundType.SAVINGS_GROUP, "กลุ่มออมทรัพย์เพื่อการผลิตบ้านบวกครกหลวง", True, True,
     "2450000.00", date(2021, 3, 1), 212, "12.000", RateUnit.PER_YEAR),
    (BUAK_KHROK_LUANG, FundType.VILLAGE_FUND, "กองทุนหมู่บ้านบวกครกหลวง", True, True,
     "1380000.00", date(2021, 3, 1), 168, "6.000", RateUnit.PER_YEAR),
    (BUAK_KHROK_LUANG, FundType.WOMEN_FUND, "กองทุนพัฒนาบทบาทสตรีตำบลท่าศาลา", False, True,
     "150000.00", date(2021, 3, 1), 45, "3.000", RateUnit.PER_YEAR),
    (BUAK_KHROK_LUANG, FundType.OCCUPATIONAL_GROUP, "กลุ่มอาชีพบ้านบวกครกหลวง", False, False,
     "0.00", None, 31, None, ""),
    (NONG_MA_CHAP, FundType.SAVINGS_GROUP, "กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองมะจับ", True, True,
     "3120000.00", date(2021, 3, 1), 254, "1.000", RateUnit.PER_MONTH),
    (NONG_MA_CHAP, FundType.VILLAGE_FUND, "กองทุนหมู่บ้านหนองมะจับ", True, True,
     "1650000.00", date(2021, 3, 1), 190, "6.000", RateUnit.PER_YEAR),
    (NONG_MA_CHAP, FundType.KKKJ, "โครงการแก้ไขปัญหาความยากจน (กข.คจ.) บ้านหนองมะจับ", False, True,
     "280000.00", date(2021, 3, 1), 40, "0.000", RateUnit.PER_YEAR),
    (NONG_MA_CHAP, FundType.WELFARE_FUND, "กองทุนสวัสดิการชุมชนบ้านหนองมะจับ", False, True,
     "320000.00", date(2021, 3, 1), 230, None, ""),
]  # fmt: skip

# center, name, role, fund represented, term start
DEMO_COMMITTEE = [
    (NONG_MA_CHAP, "นายสมบัติ ใจมั่น", CommitteeRole.CHAIR, "กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองมะจับ", date(2019, 4, 1)),
    (NONG_MA_CHAP, "นางบัวผัน แสนดี", CommitteeRole.VICE_CHAIR, "กองทุนหมู่บ้านหนองมะจับ", date(2019, 4, 1)),
    (NONG_MA_CHAP, "นางสาวจันทร์เพ็ญ คำแสน", CommitteeRole.SECRETARY, "กองทุนหมู่บ้านหนองมะจับ", date(2019, 4, 1)),
    (NONG_MA_CHAP, "นางคำปุ่น อินต๊ะ", CommitteeRole.TREASURER, "กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองมะจับ", date(2019, 4, 1)),
    (NONG_MA_CHAP, "นายอุดม ปัญญาดี", CommitteeRole.AUDITOR, "กองทุนสวัสดิการชุมชนบ้านหนองมะจับ", date(2019, 4, 1)),
    (BUAK_KHROK_LUANG, "นายประเสริฐ บุญมา", CommitteeRole.CHAIR, "กลุ่มออมทรัพย์เพื่อการผลิตบ้านบวกครกหลวง", date(2020, 1, 15)),
    (BUAK_KHROK_LUANG, "นางศรีนวล ทองดี", CommitteeRole.TREASURER, "กองทุนหมู่บ้านบวกครกหลวง", date(2020, 1, 15)),
]  # fmt: skip

# center, group, product, members, supporting fund, revenue by fiscal year
DEMO_GROUPS = [
    (BUAK_KHROK_LUANG, "กลุ่มทำพริกแกง", "พริกแกง", 18, "กองทุนพัฒนาบทบาทสตรีตำบลท่าศาลา",
     {2563: "186000.00", 2564: "242500.00"}),
    (BUAK_KHROK_LUANG, "กลุ่มทำลูกประคบ", "ลูกประคบสมุนไพร", 13, "กองทุนพัฒนาบทบาทสตรีตำบลท่าศาลา",
     {2563: "94000.00", 2564: "121750.00"}),
]  # fmt: skip

DEMO_RECOGNITIONS = [
    (NONG_MA_CHAP, 2564, Recognition.Level.PROVINCE_OUTSTANDING, Recognition.Stage.SELECTED),
    (NONG_MA_CHAP, 2564, Recognition.Level.DEPARTMENT_MODEL, Recognition.Stage.NOMINATED),
]


def seed(stdout, today: date) -> None:
    centers = {}
    for village_code, name, founded_year in DEMO_CENTERS:
        centers[name], _created = Center.objects.update_or_create(
            village=Village.objects.get(code=village_code),
            name=name,
            defaults={"founded_year": founded_year, "status": Center.Status.ACTIVE},
        )
    funds = {}
    for center, fund_type, name, core, money, capital, as_of, members, rate, unit in DEMO_FUNDS:
        funds[name], _created = MemberFund.objects.update_or_create(
            center=centers[center],
            name=name,
            defaults={
                "fund_type": fund_type, "is_core": core, "holds_money": money,
                "in_managed_capital": money, "capital": Decimal(capital),
                "capital_as_of": as_of, "members": members, "lending_rate": Decimal(rate) if rate else None,
                "rate_unit": unit,
            },
        )  # fmt: skip
    for center, full_name, role, fund, start in DEMO_COMMITTEE:
        CommitteeMember.objects.update_or_create(
            center=centers[center], full_name=full_name, role=role,
            defaults={"fund": funds[fund], "term_start": start, "term_end": None},
        )  # fmt: skip
    for center, name, product, members, fund, revenues in DEMO_GROUPS:
        group, _created = OccupationalGroup.objects.update_or_create(
            center=centers[center], name=name, defaults={"product": product, "members": members}
        )
        group.supporting_funds.set([funds[fund]])
        for fiscal_year, revenue in revenues.items():
            GroupRevenue.objects.update_or_create(
                group=group, fiscal_year=fiscal_year, defaults={"revenue": Decimal(revenue)}
            )
    for center, fiscal_year, level, stage in DEMO_RECOGNITIONS:
        Recognition.objects.update_or_create(
            center=centers[center], fiscal_year=fiscal_year, level=level, defaults={"stage": stage}
        )
    stdout.write(f"Centers: {len(DEMO_CENTERS)} demo centers with {len(DEMO_FUNDS)} member funds.")
