"""Fictional member households of the two report centers: 16 enrolled at Ban Buak Khrok Luang and 30 at Ban
Nong Ma Chap, the figures of the monitoring report of March 2564. Names, national IDs (valid check digits,
made up), phones and budgets are invented; their debts are added by debts/demo.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from centers.demo import BUAK_KHROK_LUANG, NONG_MA_CHAP
from centers.models import Center

from . import national_id, services
from .models import BudgetStatement, Household

FIRST_NAMES = [
    "นางบัวคำ", "นายสมหมาย", "นางจันทร์ดี", "นายบุญเรือน", "นางศรีไพร", "นายอินถา", "นางคำแปง", "นายประสิทธิ์",
    "นางแสงเดือน", "นายทองสุข", "นางบัวผัด", "นายสุริยา", "นางพิมพ์ใจ", "นายมานพ", "นางอำไพ", "นายเสาร์แก้ว",
]  # fmt: skip
LAST_NAMES = [
    "ใจปิง", "คำมา", "อินทร์แก้ว", "ปัญญาวงค์", "ศรีวิชัย", "บุญเรือง", "ทาแกง", "วงค์ษา", "สุขเกษม", "กันทะวงค์",
    "ยาวิชัย", "ธรรมใจ", "แก้วมูล", "จันทร์ตา", "มูลคำ",
]  # fmt: skip
OCCUPATIONS = ["ทำนา", "รับจ้างทั่วไป", "ค้าขาย", "ทำสวนลำไย", "เลี้ยงสัตว์", "ทำพริกแกง", "ทำลูกประคบ"]


@dataclass(frozen=True)
class DemoCenter:
    name: str
    count: int
    officer: str
    district: str
    surveyed_from: date
    enrolled_by: date


DEMO = [
    DemoCenter(BUAK_KHROK_LUANG, 16, "officer_mueang", "5001", date(2020, 6, 1), date(2021, 2, 15)),
    DemoCenter(NONG_MA_CHAP, 30, "officer_sansai", "5014", date(2019, 10, 1), date(2021, 1, 31)),
]


def demo_national_id(district: str, index: int) -> str:
    """A fictional but valid ID: type 3, the district's registration office, a made-up book and line."""
    return national_id.with_check_digit(f"3{district}99{index:03d}{index % 7 + 1:02d}")


def demo_households(center_name: str) -> list[Household]:
    demo = next(item for item in DEMO if item.name == center_name)
    hashes = [national_id.keyed_hash(demo_national_id(demo.district, i)) for i in range(demo.count)]
    return list(
        Household.objects.filter(center__name=center_name, national_id_hash__in=hashes).order_by("pk")
    )


def seed(stdout, today: date) -> None:
    created = 0
    for demo in DEMO:
        center = Center.objects.select_related("village").get(name=demo.name)
        officer = User.objects.get(username=demo.officer)
        rng = random.Random(demo.name)  # noqa: S311 (fictional demo data, the same on every run)
        groups = list(center.occupational_groups.all())
        for index in range(demo.count):
            identity = demo_national_id(demo.district, index)
            digest = national_id.keyed_hash(identity)
            if Household.objects.filter(center=center, national_id_hash=digest).exists():
                continue
            surveyed_on = demo.surveyed_from + timedelta(days=rng.randrange(0, 90))
            household = Household(
                center=center,
                village=center.village,
                house_number=f"{rng.randrange(1, 180)}{rng.choice(['', '', '/1', '/2'])}",
                head_name=f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}",
                phone=f"08{rng.randrange(10_000_000, 99_999_999)}",
                members=rng.randrange(2, 7),
                occupations=", ".join(rng.sample(OCCUPATIONS, 2)),
                privacy_notice_version="1",
                surveyed_by=f"{officer.first_name} {officer.last_name}",
                surveyed_on=surveyed_on,
            )
            household = services.household_register(
                user=officer,
                household=household,
                national_id=identity,
                occupational_groups=rng.sample(groups, min(len(groups), rng.randrange(0, 2))),
            )
            _budget(officer, household, rng)
            target_on = surveyed_on + timedelta(days=rng.randrange(20, 60))
            services.household_select_as_target(user=officer, household=household, on=target_on)
            enrolled_on = min(target_on + timedelta(days=rng.randrange(15, 60)), demo.enrolled_by)
            services.household_enrol(
                user=officer, household=household, on=enrolled_on, note="สัญญา 1 ครัวเรือน 1 สัญญา"
            )
            created += 1
    stdout.write(f"Households: {sum(item.count for item in DEMO)} enrolled demo households ({created} new).")


def _budget(officer: User, household: Household, rng: random.Random) -> None:
    def amount(low: int, high: int, step: int = 100) -> Decimal:
        return Decimal(rng.randrange(low, high, step))

    statement = BudgetStatement(
        household=household,
        as_of=household.surveyed_on,
        income_farming=amount(2000, 9000),
        income_wages=amount(0, 8000),
        income_business=amount(0, 4000),
        income_remittances=amount(0, 3000),
        income_welfare=Decimal("600.00") if rng.random() < 0.5 else Decimal("0.00"),
        expense_food=amount(3000, 6000),
        expense_housing=amount(500, 1500),
        expense_education=amount(0, 2000),
        expense_health=amount(0, 800),
        expense_transport=amount(500, 1500),
        expense_farming=amount(500, 2500),
        expense_social=amount(200, 800),
        expense_debt=amount(1500, 5000),
    )
    services.budget_statement_save(user=officer, statement=statement)
