from decimal import Decimal

import factory

from accounts.models import User
from centers.models import Center, FundType, MemberFund, RateUnit
from core.scoping import OfficeLevel
from geography.models import Village

# Real DOPA codes, loaded into every test database by the geography migration.
MUEANG_CHIANG_MAI = "5001"
SAN_SAI = "5014"
THA_SALA = "500112"  # in Mueang Chiang Mai
MAE_FAEK = "501409"  # in San Sai
CHIANG_MAI = "50"
LAMPANG = "52"
MUEANG_LAMPANG = "5201"
TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ทดสอบ"
    last_name = factory.Sequence(lambda n: f"ผู้ใช้{n}")
    position_title = "นักวิชาการพัฒนาชุมชนชำนาญการ"
    office_level = OfficeLevel.DISTRICT
    district_id = MUEANG_CHIANG_MAI
    password = factory.django.Password(TEST_PASSWORD)

    class Params:
        provincial = factory.Trait(
            office_level=OfficeLevel.PROVINCE, district_id=None, province_id=CHIANG_MAI
        )
        national = factory.Trait(office_level=OfficeLevel.DEPARTMENT, district_id=None, province_id=None)
        admin = factory.Trait(
            office_level=OfficeLevel.DEPARTMENT,
            district_id=None,
            province_id=None,
            is_superuser=True,
            is_staff=True,
        )


def free_moo(subdistrict_code: str) -> int:
    used = set(Village.objects.filter(subdistrict_id=subdistrict_code).values_list("moo", flat=True))
    return next(moo for moo in [*range(20, 100), *range(1, 20)] if moo not in used)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    subdistrict_id = THA_SALA
    # The next free หมู่ที่ in the subdistrict from 20 up (tests that fix a moo use the ones below 20): a counter
    # shared by the worker's tests would collide with a fixed moo whenever the tests' order brought it there.
    moo = factory.LazyAttribute(lambda v: free_moo(v.subdistrict_id))
    name = factory.Sequence(lambda n: f"บ้านทดสอบ {n}")
    code = factory.LazyAttribute(lambda v: Village.code_for(v.subdistrict_id, v.moo))


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = factory.Sequence(lambda n: f"ศูนย์จัดการกองทุนชุมชนทดสอบ {n}")
    village = factory.SubFactory(VillageFactory)
    founded_year = 2560


class MemberFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberFund

    center = factory.SubFactory(CenterFactory)
    fund_type = FundType.SAVINGS_GROUP
    name = factory.Sequence(lambda n: f"กลุ่มออมทรัพย์ทดสอบ {n}")
    holds_money = True
    in_managed_capital = factory.SelfAttribute("holds_money")
    capital = Decimal("100000.00")
    members = 50
    lending_rate = Decimal("12.000")
    rate_unit = RateUnit.PER_YEAR
