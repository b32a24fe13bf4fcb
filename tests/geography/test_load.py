import pytest
from django.core.management import call_command

from geography.forms import children_of
from geography.models import District, Province, Subdistrict


@pytest.mark.django_db
def test_migrations_load_every_area_of_geothai():
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436


@pytest.mark.django_db
def test_load_geography_is_idempotent_and_restores_edited_names(capsys):
    Province.objects.filter(code="50").update(name_th="แก้ไขผิด")
    call_command("load_geography")
    call_command("load_geography")
    assert (Province.objects.count(), District.objects.count(), Subdistrict.objects.count()) == (
        77,
        928,
        7436,
    )
    assert Province.objects.get(code="50").name_th == "เชียงใหม่"
    assert "7,436 subdistricts" in capsys.readouterr().out


@pytest.mark.django_db
def test_codes_nest_and_names_are_thai_and_english():
    mae_faek = Subdistrict.objects.select_related("district__province").get(code="501409")
    assert (mae_faek.name_th, mae_faek.name_en) == ("แม่แฝก", "Mae Faek")
    assert mae_faek.district.name_en == "San Sai"
    assert mae_faek.district.province.name_th == "เชียงใหม่"
    # Every child code starts with its parent's code.
    assert not District.objects.exclude(code__startswith="50").filter(province_id="50").exists()
    assert all(s.code.startswith(s.district_id) for s in Subdistrict.objects.filter(district_id="5001"))


@pytest.mark.django_db
def test_bangkok_is_kept_but_hidden_from_pickers(national):
    assert Province.objects.filter(code="10").exists()
    provinces = children_of("province", None, national)
    assert provinces.count() == 76
    assert not provinces.filter(code="10").exists()
