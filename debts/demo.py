"""Fictional debt registries of the demo households (households/demo.py): each household owes a formal lender,
a community fund and an informal lender, some of them above the legal rate cap, as the report describes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from households.demo import DEMO, demo_households

from . import services
from .models import CreditorType, DebtLine, Frequency, RateUnit

# creditor type, creditor name, amount range (baht), rate, unit, purpose, collateral
FORMAL = [
    (
        CreditorType.BAAC,
        "ธ.ก.ส. สาขาสันทราย",
        (30_000, 150_000),
        "7.000",
        RateUnit.PER_YEAR,
        "ลงทุนทำนา",
        "โฉนดที่ดิน",
    ),
    (
        CreditorType.GSB,
        "ธนาคารออมสิน สาขาเชียงใหม่",
        (20_000, 80_000),
        "8.500",
        RateUnit.PER_YEAR,
        "ซ่อมบ้าน",
        "ผู้ค้ำประกัน 2 คน",
    ),
    (
        CreditorType.COOPERATIVE,
        "สหกรณ์การเกษตรเมืองเชียงใหม่",
        (10_000, 50_000),
        "9.000",
        RateUnit.PER_YEAR,
        "ซื้อปุ๋ย",
        "หุ้นสหกรณ์",
    ),
    (
        CreditorType.LEASING,
        "บริษัทลีสซิ่งรถจักรยานยนต์",
        (20_000, 45_000),
        "1.250",
        RateUnit.PER_MONTH,
        "ซื้อรถจักรยานยนต์",
        "ตัวรถ",
    ),
    (
        CreditorType.CREDIT_CARD,
        "สินเชื่อบุคคล",
        (5_000, 30_000),
        "25.000",
        RateUnit.PER_YEAR,
        "ใช้จ่ายในครัวเรือน",
        "",
    ),
]
COMMUNITY = [
    (
        CreditorType.VILLAGE_FUND,
        "กองทุนหมู่บ้าน",
        (10_000, 20_000),
        "6.000",
        RateUnit.PER_YEAR,
        "ประกอบอาชีพ",
        "ผู้ค้ำประกัน",
    ),
    (
        CreditorType.SAVINGS_GROUP,
        "กลุ่มออมทรัพย์เพื่อการผลิต",
        (10_000, 40_000),
        "1.000",
        RateUnit.PER_MONTH,
        "ประกอบอาชีพ",
        "เงินออมสัจจะ",
    ),
    (CreditorType.KKKJ, "กข.คจ.", (5_000, 15_000), "0.000", RateUnit.PER_YEAR, "เลี้ยงสัตว์", ""),
    (
        CreditorType.WOMEN_FUND,
        "กองทุนพัฒนาบทบาทสตรี",
        (10_000, 30_000),
        "3.000",
        RateUnit.PER_YEAR,
        "ทำพริกแกง",
        "ผู้ค้ำประกัน",
    ),
]
INFORMAL = [
    (
        CreditorType.MONEY_LENDER,
        "นายทุนในหมู่บ้าน",
        (10_000, 50_000),
        "20.000",
        RateUnit.PER_MONTH,
        "ใช้หนี้เดิม",
        "",
    ),
    (CreditorType.MONEY_LENDER, "เงินกู้รายวัน", (5_000, 20_000), "1.000", RateUnit.PER_DAY, "ค่าเทอมลูก", ""),
    (CreditorType.RELATIVES, "ญาติ", (5_000, 30_000), "0.000", RateUnit.PER_YEAR, "รักษาพยาบาล", ""),
    (CreditorType.SHOP_CREDIT, "ร้านค้าในหมู่บ้าน", (1_000, 8_000), None, "", "ซื้อของใช้", ""),
    (
        CreditorType.ROTATING_CREDIT,
        "วงแชร์ในหมู่บ้าน",
        (10_000, 30_000),
        "3.000",
        RateUnit.PER_MONTH,
        "ใช้จ่ายในครัวเรือน",
        "",
    ),
]


def seed(stdout, today: date) -> None:
    lines = 0
    for demo in DEMO:
        officer = User.objects.get(username=demo.officer)
        rng = random.Random(f"debts {demo.name}")  # noqa: S311 (fictional demo data, the same on every run)
        for household in demo_households(demo.name):
            if DebtLine.objects.filter(household=household).exists():
                continue
            choices = [rng.choice(FORMAL), rng.choice(COMMUNITY), rng.choice(INFORMAL)]
            if rng.random() < 0.5:
                choices.append(rng.choice(INFORMAL))
            for creditor_type, name, (low, high), rate, unit, purpose, collateral in choices:
                original = Decimal(rng.randrange(low, high, 1000))
                owed = (original * Decimal(rng.randrange(40, 100)) / 100).quantize(Decimal("1"))
                frequency = Frequency.DAILY if unit == RateUnit.PER_DAY else Frequency.MONTHLY
                line = DebtLine(
                    household=household,
                    creditor_type=creditor_type,
                    creditor_name=name,
                    original_amount=original,
                    started_on=household.surveyed_on - timedelta(days=rng.randrange(90, 900)),
                    interest_rate=Decimal(rate) if rate else None,
                    rate_unit=unit,
                    instalment=(original / (20 if frequency == Frequency.MONTHLY else 300)).quantize(
                        Decimal("1")
                    ),
                    instalment_frequency=frequency,
                    purpose=purpose,
                    collateral=collateral,
                )
                services.debt_line_add(
                    user=officer, line=line, balance=owed, as_of=household.surveyed_on, note="สำรวจครั้งแรก"
                )
                lines += 1
                if line.sector == "formal":
                    later = household.status_since + timedelta(days=30)
                    services.debt_line_record_balance(
                        user=officer, line=line, as_of=later, balance=(owed * Decimal("0.9")).quantize(Decimal("1")),
                        note="ทบทวนหนี้หลังทำสัญญา",
                    )  # fmt: skip
    stdout.write(f"Debts: registries of the demo households ({lines} new debt lines).")
