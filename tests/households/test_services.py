"""Registering households, their status transitions, and the personal data rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from centers.models import OccupationalGroup
from households import national_id, services
from households.models import Household, HouseholdStatus, PersonalDataLog, StatusChange
from tests.factories import MAE_FAEK, CenterFactory, VillageFactory
from tests.households.factories import HouseholdFactory, make_national_id


@pytest.fixture
def center(db):
    return CenterFactory()


def new_household(center, **fields):
    data = {
        "center": center,
        "village": center.village,
        "house_number": "12/1",
        "head_name": "นางบัวคำ ใจปิง",
        "members": 4,
        "privacy_notice_version": "1",
        "surveyed_by": "นางสำรวจ ดี",
        "surveyed_on": date(2024, 1, 15),
    }
    return Household(**{**data, **fields})


def test_register_stores_the_id_encrypted_with_its_hash(officer, center):
    household = services.household_register(
        user=officer, household=new_household(center), national_id=make_national_id(1)
    )
    stored = Household.objects.get(pk=household.pk)
    assert make_national_id(1) not in stored.national_id_encrypted
    assert stored.national_id_hash == national_id.keyed_hash(make_national_id(1))
    assert stored.national_id_masked == national_id.masked(make_national_id(1))
    assert (stored.status, stored.status_since) == (HouseholdStatus.SURVEYED, date(2024, 1, 15))
    assert make_national_id(1) not in str(stored)
    assert stored.history.get().history_user == officer  # the audit trail names who, also outside a request


def test_the_same_id_twice_in_a_center_is_refused_but_allowed_in_another(officer, center):
    services.household_register(
        user=officer, household=new_household(center), national_id=make_national_id(1)
    )
    with pytest.raises(ValidationError) as error:
        services.household_register(
            user=officer, household=new_household(center, house_number="13"), national_id=make_national_id(1)
        )
    assert "national_id" in error.value.message_dict
    other = CenterFactory()
    services.household_register(user=officer, household=new_household(other), national_id=make_national_id(1))
    assert Household.objects.count() == 2


def test_the_database_backs_the_uniqueness(center):
    HouseholdFactory(center=center, national_id=make_national_id(5))
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdFactory(center=center, national_id=make_national_id(5))


def test_a_corrected_id_replaces_the_old_one_and_stays_unique(officer, center):
    first = HouseholdFactory(center=center, national_id=make_national_id(1))
    second = HouseholdFactory(center=center, national_id=make_national_id(2))
    services.household_update(
        user=officer, household=first, occupational_groups=[], national_id=make_national_id(3)
    )
    first.refresh_from_db()
    assert first.national_id_hash == national_id.keyed_hash(make_national_id(3))
    assert first.reveal_national_id() == national_id.formatted(make_national_id(3))
    with pytest.raises(ValidationError):
        services.household_update(
            user=officer, household=second, occupational_groups=[], national_id=make_national_id(3)
        )


def test_village_must_be_in_the_centers_subdistrict(officer, center):
    neighbour = VillageFactory(moo=center.village.moo % 99 + 1)  # same subdistrict: fine
    services.household_register(
        user=officer, household=new_household(center, village=neighbour), national_id=make_national_id(1)
    )
    far = VillageFactory(subdistrict_id=MAE_FAEK, moo=3)
    with pytest.raises(ValidationError) as error:
        services.household_register(
            user=officer, household=new_household(center, village=far), national_id=make_national_id(2)
        )
    assert "village" in error.value.message_dict


def test_groups_must_belong_to_the_center(officer, center):
    foreign = OccupationalGroup.objects.create(center=CenterFactory(), name="กลุ่มอื่น", product="ของ")
    with pytest.raises(ValidationError):
        services.household_register(
            user=officer,
            household=new_household(center),
            national_id=make_national_id(1),
            occupational_groups=[foreign],
        )
    assert not Household.objects.exists()


def test_outsiders_and_readers_cannot_register(outsider, provincial, center):
    for user in (outsider, provincial):
        with pytest.raises(PermissionDenied):
            services.household_register(
                user=user, household=new_household(center), national_id=make_national_id(1)
            )


# --- status transitions -------------------------------------------------------------------------------------


def test_the_whole_path_with_dates(officer, center):
    household = HouseholdFactory(center=center, surveyed_on=date(2024, 1, 15))
    services.household_select_as_target(user=officer, household=household, on=date(2024, 2, 1))
    services.household_enrol(user=officer, household=household, on=date(2024, 3, 1), note="สัญญาเลขที่ 1/2567")
    services.household_mark_debt_free(user=officer, household=household, on=date(2025, 3, 1))
    household.refresh_from_db()
    assert (household.status, household.status_since) == (HouseholdStatus.DEBT_FREE, date(2025, 3, 1))
    steps = list(household.status_changes.values_list("from_status", "to_status", "changed_on"))
    assert steps == [
        ("surveyed", "target", date(2024, 2, 1)),
        ("target", "enrolled", date(2024, 3, 1)),
        ("enrolled", "debt_free", date(2025, 3, 1)),
    ]
    assert household.status_changes.get(to_status="enrolled").recorded_by == officer


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "enrolled"),  # a contract needs a target household
        ([], "debt_free"),
        (["target"], "debt_free"),
        (["target", "enrolled", "debt_free"], "withdrawn"),  # debt-free is the end
        (["withdrawn"], "target"),  # withdrawn is the end
        (["target"], "target"),
    ],
)
def test_illegal_transitions_are_refused(officer, center, path, illegal):
    household = HouseholdFactory(center=center, surveyed_on=date(2024, 1, 15))
    day = date(2024, 2, 1)
    for status in path:
        services.TRANSITION_SERVICES[status](user=officer, household=household, on=day)
        day += timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        services.TRANSITION_SERVICES[illegal](user=officer, household=household, on=day)
    assert error.value.code == "illegal_transition"
    assert StatusChange.objects.count() == len(path)


def test_withdraw_from_any_open_status(officer, center):
    for path in ([], ["target"], ["target", "enrolled"]):
        household = HouseholdFactory(center=center)
        day = date(2024, 2, 1)
        for status in path:
            services.TRANSITION_SERVICES[status](user=officer, household=household, on=day)
        services.household_withdraw(user=officer, household=household, on=day, note="ย้ายออก")
        assert Household.objects.get(pk=household.pk).status == HouseholdStatus.WITHDRAWN


def test_dates_cannot_go_back_nor_into_the_future(officer, center):
    household = HouseholdFactory(center=center, surveyed_on=date(2024, 1, 15))
    with pytest.raises(ValidationError) as error:
        services.household_select_as_target(user=officer, household=household, on=date(2024, 1, 14))
    assert "changed_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.household_select_as_target(
            user=officer, household=household, on=timezone.localdate() + timedelta(days=1)
        )
    assert not StatusChange.objects.exists()


def test_only_editors_move_a_household(provincial, outsider, center):
    household = HouseholdFactory(center=center)
    for user in (provincial, outsider):
        with pytest.raises(PermissionDenied):
            services.household_select_as_target(user=user, household=household, on=date(2024, 2, 1))


def test_survey_date_cannot_move_after_the_first_change(officer, center):
    household = HouseholdFactory(center=center, surveyed_on=date(2024, 1, 15))
    household.surveyed_on = date(2024, 1, 20)
    services.household_update(user=officer, household=household, occupational_groups=[])
    assert Household.objects.get(pk=household.pk).status_since == date(2024, 1, 20)
    services.household_select_as_target(user=officer, household=household, on=date(2024, 2, 1))
    household.refresh_from_db()
    household.surveyed_on = date(2024, 2, 5)
    with pytest.raises(ValidationError):
        services.household_update(user=officer, household=household, occupational_groups=[])


# --- personal data ------------------------------------------------------------------------------------------


def test_reveal_returns_the_id_and_logs_who_when_what(officer, center):
    household = HouseholdFactory(center=center, national_id=make_national_id(7))
    revealed = services.household_reveal_national_id(user=officer, household=household)
    assert revealed == national_id.formatted(make_national_id(7))
    log = PersonalDataLog.objects.get()
    assert (log.user, log.action, log.household, log.district_id) == (officer, "reveal", household, "5001")
    assert log.at is not None
    assert make_national_id(7) not in log.what
    assert household.house_number in log.what


def test_provincial_staff_and_outsiders_cannot_reveal(provincial, national, outsider, center):
    household = HouseholdFactory(center=center)
    for user in (provincial, national, outsider):
        with pytest.raises(PermissionDenied):
            services.household_reveal_national_id(user=user, household=household)
    assert not PersonalDataLog.objects.exists()


def test_admin_may_reveal(superuser, center):
    household = HouseholdFactory(center=center)
    services.household_reveal_national_id(user=superuser, household=household)
    assert PersonalDataLog.objects.get().user == superuser


def test_personal_data_scope_by_role(officer, outsider, provincial, national, superuser, center):
    household = HouseholdFactory(center=center)
    personal = {
        user.username: Household.objects.personal_data_visible_to(user).filter(pk=household.pk).exists()
        for user in (officer, outsider, provincial, national, superuser)
    }
    assert personal == {
        "officer_a": True,
        "officer_b": False,
        "province_cm": False,
        "department": False,
        "root": True,
    }
    visible = {
        user.username: Household.objects.visible_to(user).filter(pk=household.pk).exists()
        for user in (officer, outsider, provincial, national, superuser)
    }
    # Provincial and department staff count it, without seeing who it is.
    assert visible == {
        "officer_a": True,
        "officer_b": False,
        "province_cm": True,
        "department": True,
        "root": True,
    }
