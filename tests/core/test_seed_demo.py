import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from centers.models import Center
from geography.models import Village


@pytest.mark.django_db
def test_seed_demo_twice_creates_each_record_once():
    call_command("seed_demo")
    counts = (User.objects.count(), Village.objects.count(), Center.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Village.objects.count(), Center.objects.count()) == counts == (5, 2, 2)


@pytest.mark.django_db
def test_demo_centers_are_in_the_places_of_the_report():
    call_command("seed_demo")
    buak = Center.objects.with_area().get(name__contains="บวกครกหลวง")
    assert (
        buak.village.moo,
        buak.village.subdistrict.name_en,
        buak.village.subdistrict.district.name_en,
    ) == (
        1,
        "Tha Sala",
        "Mueang Chiang Mai",
    )
    assert buak.founded_year == 2560
    nong = Center.objects.with_area().get(name__contains="หนองมะจับ")
    assert (nong.village.subdistrict.name_en, nong.village.subdistrict.district.name_en) == (
        "Mae Faek",
        "San Sai",
    )
    assert nong.founded_year == 2554


@pytest.mark.django_db
def test_demo_logins_cover_every_role(rf):
    call_command("seed_demo")

    def login(username):
        return authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)

    officer = login("officer_mueang")
    assert officer.district_id == "5001"
    assert login("officer_sansai").district_id == "5014"
    assert login("province_cm").province_id == "50"
    assert login("department").office_level == "department"
    assert login("admin").is_superuser
    assert Center.objects.visible_to(officer).count() == 1
