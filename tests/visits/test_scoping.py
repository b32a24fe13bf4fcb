"""Who sees, edits and reviews which trips, reports and recommendations (visits.models querysets)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import LAMPANG, UserFactory
from visits import access
from visits.models import CenterReport, Recommendation, Trip, TripLevel

from .factories import CenterReportFactory, RecommendationFactory, TripFactory


@pytest.fixture
def world(officer, outsider, center, sansai_center, lampang_center):
    """One trip and report in each of Mueang Chiang Mai, San Sai and Lampang."""
    lampang_author = UserFactory(username="officer_lp", district_id="5201")
    mueang = CenterReportFactory(trip=TripFactory(created_by=officer), center=center, author=officer)
    sansai = CenterReportFactory(
        trip=TripFactory(district_id="5014", created_by=outsider), center=sansai_center, author=outsider
    )
    lampang = CenterReportFactory(
        trip=TripFactory(province_id=LAMPANG, district_id="5201"),
        center=lampang_center,
        author=lampang_author,
    )
    for report in (mueang, sansai, lampang):
        RecommendationFactory(report=report)
    return {"mueang": mueang, "sansai": sansai, "lampang": lampang}


def centers_of(queryset) -> set[str]:
    return set(queryset.values_list("center__name", flat=True))


def trip_areas(user) -> set[str]:
    return set(Trip.objects.visible_to(user).values_list("district_id", flat=True))


def test_each_office_sees_its_own_area(
    world, officer, outsider, provincial, other_province, national, superuser
):
    names = {key: report.center.name for key, report in world.items()}
    assert centers_of(CenterReport.objects.visible_to(officer)) == {names["mueang"]}
    assert centers_of(CenterReport.objects.visible_to(outsider)) == {names["sansai"]}
    assert centers_of(CenterReport.objects.visible_to(provincial)) == {names["mueang"], names["sansai"]}
    assert centers_of(CenterReport.objects.visible_to(other_province)) == {names["lampang"]}
    assert centers_of(CenterReport.objects.visible_to(national)) == set(names.values())
    assert centers_of(CenterReport.objects.visible_to(superuser)) == set(names.values())
    assert trip_areas(officer) == {"5001"}
    assert trip_areas(provincial) == {"5001", "5014"}
    assert trip_areas(national) == {"5001", "5014", "5201"}
    assert Recommendation.objects.visible_to(officer).count() == 1
    assert Recommendation.objects.visible_to(national).count() == 3
    assert Recommendation.objects.visible_to(superuser).count() == 3


def test_only_district_officers_authors_and_admins_edit(world, officer, provincial, national, superuser):
    assert centers_of(CenterReport.objects.editable_by(officer)) == {world["mueang"].center.name}
    assert not CenterReport.objects.editable_by(provincial).exists()
    assert not CenterReport.objects.editable_by(national).exists()
    assert CenterReport.objects.editable_by(superuser).count() == 3
    assert Trip.objects.editable_by(superuser).count() == 3
    assert not Trip.objects.editable_by(national).exists()


def test_only_provincial_staff_of_the_province_and_admins_review(
    world, officer, provincial, national, superuser
):
    assert centers_of(CenterReport.objects.reviewable_by(provincial)) == {
        world["mueang"].center.name,
        world["sansai"].center.name,
    }
    assert not CenterReport.objects.reviewable_by(officer).exists()
    assert not CenterReport.objects.reviewable_by(national).exists()
    assert CenterReport.objects.reviewable_by(superuser).count() == 3


def test_anonymous_and_inactive_users_see_nothing(world):
    inactive = UserFactory(is_active=False, national=True)
    for user in (AnonymousUser(), inactive, None):
        assert not Trip.objects.visible_to(user).exists()
        assert not CenterReport.objects.visible_to(user).exists()
        assert not Recommendation.objects.visible_to(user).exists()
        assert not access.can_record_trip(user)


def test_a_department_author_keeps_seeing_and_editing_their_report(center, national):
    trip = TripFactory(level=TripLevel.DEPARTMENT, district_id=None, created_by=national)
    report = CenterReportFactory(trip=trip, center=center, author=national)
    assert access.can_edit_trip(national, trip)
    assert access.can_change_report(national, report)


def test_who_may_record_trips(officer, provincial, national, superuser):
    broken = UserFactory.build(district_id=None)
    assert [access.can_record_trip(user) for user in (officer, provincial, national, superuser, broken)] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_the_checks_on_a_loaded_report_answer_as_the_queries(
    world,
    center,
    officer,
    outsider,
    provincial,
    other_province,
    national,
    superuser,
    django_assert_num_queries,
):
    """The report pages decide who edits and reviews from the report's loaded area: the same answers as
    editable_by and reviewable_by, for every office, an author outside the area, inactive users."""
    trip = TripFactory(level=TripLevel.DEPARTMENT, district_id=None, created_by=national)
    provincial_author = CenterReportFactory(trip=trip, center=center, author=provincial)
    reports = [*world.values(), provincial_author]
    inactive = UserFactory(username="gone", admin=True, is_active=False)
    inactive_officer = UserFactory(username="officer_gone", is_active=False)
    users = [officer, outsider, provincial, other_province, national, superuser, inactive, inactive_officer]
    users += [AnonymousUser(), None]
    answers = {}
    for report in reports:
        loaded = CenterReport.objects.with_related().get(pk=report.pk)
        for user in users:
            with django_assert_num_queries(0):
                answers[report.pk, id(user)] = (
                    access.can_edit_loaded_report(user, loaded),
                    access.can_review_loaded_report(user, loaded),
                )
    for report in reports:
        for user in users:
            expected = (access.can_edit_report_content(user, report), access.can_review_report(user, report))
            assert answers[report.pk, id(user)] == expected, (report.center.name, user)
    assert answers[world["mueang"].pk, id(officer)] == (True, False)
    assert answers[world["mueang"].pk, id(provincial)] == (False, True)
    assert answers[provincial_author.pk, id(provincial)] == (True, False)
    # a report read without its area: the queries
    bare = CenterReport.objects.get(pk=world["mueang"].pk)
    with django_assert_num_queries(2):
        assert access.can_edit_loaded_report(officer, bare)
        assert access.can_review_loaded_report(provincial, bare)
