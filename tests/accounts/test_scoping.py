import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from accounts.models import User
from centers.models import Center
from core.scoping import OfficeLevel, can_create, can_edit_in
from geography.models import Village
from tests.factories import LAMPANG, MAE_FAEK, MUEANG_LAMPANG, CenterFactory, UserFactory, VillageFactory


@pytest.fixture
def centers(db):
    """One center in each of Mueang Chiang Mai, San Sai (both Chiang Mai) and Mueang Lampang."""
    lampang_subdistrict = "520101"
    return {
        "mueang": CenterFactory(village=VillageFactory(moo=1)),
        "sansai": CenterFactory(village=VillageFactory(subdistrict_id=MAE_FAEK, moo=1)),
        "lampang": CenterFactory(village=VillageFactory(subdistrict_id=lampang_subdistrict, moo=1)),
    }


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_each_office_sees_its_own_area(
    centers, officer, outsider, provincial, other_province, national, superuser
):
    mueang, sansai, lampang = (centers[k].name for k in ("mueang", "sansai", "lampang"))
    assert names(Center.objects.visible_to(officer)) == {mueang}
    assert names(Center.objects.visible_to(outsider)) == {sansai}
    assert names(Center.objects.visible_to(provincial)) == {mueang, sansai}
    assert names(Center.objects.visible_to(other_province)) == {lampang}
    assert names(Center.objects.visible_to(national)) == {mueang, sansai, lampang}
    assert names(Center.objects.visible_to(superuser)) == {mueang, sansai, lampang}


def test_only_district_officers_and_admins_edit(centers, officer, provincial, national, superuser):
    assert names(Center.objects.editable_by(officer)) == {centers["mueang"].name}
    assert not Center.objects.editable_by(provincial).exists()
    assert not Center.objects.editable_by(national).exists()
    assert Center.objects.editable_by(superuser).count() == 3
    assert (can_create(officer), can_create(provincial), can_create(national), can_create(superuser)) == (
        True,
        False,
        False,
        True,
    )


def test_can_edit_in_agrees_with_editable_by(centers, officer, outsider, provincial, national, superuser):
    inactive = UserFactory(is_active=False)
    no_area = UserFactory.build(district_id=None)
    for user in (
        officer,
        outsider,
        provincial,
        national,
        superuser,
        inactive,
        no_area,
        AnonymousUser(),
        None,
    ):
        for center in Center.objects.with_area():
            editable = user is not None and Center.objects.editable_by(user).filter(pk=center.pk).exists()
            assert can_edit_in(user, center.district_id) == editable, (user, center)
    assert can_edit_in(officer, centers["mueang"].district_id)
    assert not can_edit_in(outsider, centers["mueang"].district_id)


def test_anonymous_and_inactive_users_see_nothing(centers):
    inactive = UserFactory(is_active=False, national=True)
    assert not Center.objects.visible_to(AnonymousUser()).exists()
    assert not Center.objects.visible_to(inactive).exists()
    assert not Village.objects.visible_to(None).exists()
    assert not can_create(AnonymousUser())


def test_an_account_without_its_area_sees_nothing(centers):
    broken = UserFactory.build(office_level=OfficeLevel.DISTRICT, district_id=None)
    assert not Center.objects.visible_to(broken).exists()


@pytest.mark.parametrize(
    ("level", "province", "district"),
    [
        (OfficeLevel.DEPARTMENT, "50", None),
        (OfficeLevel.PROVINCE, None, None),
        (OfficeLevel.PROVINCE, "50", "5001"),
        (OfficeLevel.DISTRICT, None, None),
        (OfficeLevel.DISTRICT, LAMPANG, MUEANG_LAMPANG),
    ],
)
@pytest.mark.django_db
def test_database_refuses_an_office_pointing_to_the_wrong_level(level, province, district):
    with pytest.raises(IntegrityError):
        UserFactory(office_level=level, province_id=province, district_id=district)


@pytest.mark.django_db
def test_model_validation_explains_a_missing_area():
    from django.core.exceptions import ValidationError

    user = UserFactory.build(username="x", office_level=OfficeLevel.DISTRICT, district_id=None)
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert "district" in excinfo.value.message_dict


@pytest.mark.django_db
def test_createsuperuser_makes_a_department_level_admin():
    from django.core.management import call_command

    call_command("createsuperuser", interactive=False, username="chief", email="c@example.org", verbosity=0)
    chief = User.objects.get(username="chief")
    assert (chief.is_superuser, chief.office_level, chief.province_id, chief.district_id) == (
        True,
        OfficeLevel.DEPARTMENT,
        None,
        None,
    )


def test_everything_stays_everything_when_combined_with_or(centers, national, officer):
    """Django drops an empty Q() from `Q() | Q(x)`: the scoping layer's "every row" must survive an OR."""
    from django.db.models import Q

    from core.scoping import visible_q

    district_path = "village__subdistrict__district"
    assert Center.objects.filter(visible_q(national, district_path) | Q(pk=-1)).count() == 3
    assert Center.objects.filter(visible_q(officer, district_path) | Q(pk=-1)).count() == 1
