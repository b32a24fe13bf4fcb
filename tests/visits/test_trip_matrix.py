"""Who records a trip of each level and who reviews its reports (the matrix of the README, enforced by
core.scoping): the level menu, creating through the page, the service and the admin, and accepting or
returning a report, for every office and every level."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import LAMPANG, SAN_SAI, UserFactory
from visits import services
from visits.models import CenterReport, ReportStatus, Trip, TripLevel

from .factories import CenterReportFactory, TripFactory
from .test_views import formset, trip_data

DISTRICT, PROVINCE, DEPARTMENT = TripLevel.DISTRICT, TripLevel.PROVINCE, TripLevel.DEPARTMENT

ACTORS = {
    # name: factory arguments
    "officer": {},  # a district officer of Mueang Chiang Mai, where the center is
    "outsider": {"district_id": SAN_SAI},  # a district officer of San Sai, same province
    "provincial": {"provincial": True},  # provincial staff of Chiang Mai
    "head": {"provincial": True, "reviews_reports": True},  # the head of the Chiang Mai provincial office
    "other_head": {"provincial": True, "province_id": LAMPANG, "reviews_reports": True},
    "national": {"national": True},  # department staff
    "reviewer": {"national": True, "reviews_reports": True},  # department staff with the reviewer role
    "admin": {"admin": True},
}


@pytest.fixture
def actor(db):
    def make(name: str):
        return UserFactory(username=f"actor_{name}", **ACTORS[name])

    return make


# --- recording ---------------------------------------------------------------------------------------------

LEVELS_OFFERED = {
    "officer": [DISTRICT],
    "outsider": [DISTRICT],
    "provincial": [PROVINCE],
    "head": [PROVINCE],
    "other_head": [PROVINCE],
    "national": [DEPARTMENT],
    "reviewer": [DEPARTMENT],
    "admin": [DISTRICT, PROVINCE, DEPARTMENT],
}


@pytest.mark.parametrize(("name", "levels"), LEVELS_OFFERED.items())
def test_the_level_menu_offers_the_levels_the_user_may_record(client, actor, name, levels):
    client.force_login(actor(name))
    form = client.get(reverse("visits:trip_create")).context["form"]
    assert [value for value, _label in form.fields["level"].choices] == levels
    assert form["level"].value() in levels


# Who creates a trip of each level in Chiang Mai (district: Mueang Chiang Mai): True, or refused.
CREATE = [
    ("officer", DISTRICT, True),
    ("officer", PROVINCE, False),
    ("officer", DEPARTMENT, False),
    ("provincial", DISTRICT, False),
    ("provincial", PROVINCE, True),
    ("provincial", DEPARTMENT, False),
    ("head", PROVINCE, True),
    ("head", DEPARTMENT, False),
    ("national", DISTRICT, False),
    ("national", PROVINCE, False),
    ("national", DEPARTMENT, True),
    ("reviewer", DEPARTMENT, True),
    ("reviewer", PROVINCE, False),
    ("admin", DISTRICT, True),
    ("admin", PROVINCE, True),
    ("admin", DEPARTMENT, True),
]


def _trip_post(level: str) -> dict:
    district = "5001" if level == DISTRICT else ""
    return trip_data(level=level, province="50", district=district, **formset("stops", []))


@pytest.mark.parametrize(("name", "level", "allowed"), CREATE)
def test_creating_a_trip_of_each_level(client, actor, name, level, allowed):
    user = actor(name)
    client.force_login(user)
    response = client.post(reverse("visits:trip_create"), _trip_post(level))
    if allowed:
        assert response.status_code == 302, response.context and response.context["form"].errors
        trip = Trip.objects.get()
        assert (trip.level, trip.province_id, trip.created_by) == (level, "50", user)
    else:
        assert response.status_code == 200
        assert "level" in response.context["form"].errors
        assert not Trip.objects.exists()


@pytest.mark.parametrize(("name", "level", "allowed"), CREATE)
def test_the_service_refuses_what_the_menu_does_not_offer(actor, name, level, allowed):
    user = actor(name)
    trip = Trip(
        title="ติดตาม",
        level=level,
        province_id="50",
        district_id="5001" if level == DISTRICT else None,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
    )
    if allowed:
        assert services.trip_save(user=user, trip=trip).created_by == user
    else:
        with pytest.raises(ValidationError) as refused:
            services.trip_save(user=user, trip=trip)
        assert "level" in refused.value.error_dict
        assert not Trip.objects.exists()


@pytest.mark.parametrize(
    ("name", "level", "province", "district"),
    [
        ("outsider", DISTRICT, "50", "5001"),  # another district of the province
        ("other_head", PROVINCE, "50", None),  # another province
    ],
)
def test_each_office_records_only_in_its_own_area(actor, name, level, province, district):
    day = timezone.localdate()
    trip = Trip(title="t", level=level, province_id=province, district_id=district, start_date=day)
    trip.end_date = day
    with pytest.raises(ValidationError):
        services.trip_save(user=actor(name), trip=trip)
    assert not Trip.objects.exists()


def test_a_district_officer_cannot_turn_a_trip_into_a_department_trip(client, actor):
    officer = actor("officer")
    trip = TripFactory(created_by=officer)
    client.force_login(officer)
    response = client.post(reverse("visits:trip_edit", args=[trip.pk]), _trip_post(DEPARTMENT))
    assert "level" in response.context["form"].errors
    trip.refresh_from_db()
    assert trip.level == DISTRICT


@pytest.mark.parametrize(
    ("name", "level", "editable"),
    [
        ("officer", DISTRICT, True),
        ("officer", DEPARTMENT, False),  # a department trip of the district: its district does not edit it
        ("provincial", PROVINCE, True),
        ("provincial", DISTRICT, False),
        ("national", DEPARTMENT, True),
        ("national", PROVINCE, False),
    ],
)
def test_who_records_a_level_edits_it(client, actor, name, level, editable):
    trip = TripFactory(level=level, district_id="5001")
    client.force_login(actor(name))
    response = client.get(reverse("visits:trip_edit", args=[trip.pk]))
    assert response.status_code == (200 if editable else 403)


@pytest.mark.parametrize(("name", "level", "allowed"), CREATE)
def test_the_admin_offers_and_checks_the_same_levels(client, actor, name, level, allowed):
    user = actor(name)
    user.is_staff = True
    user.save()
    client.force_login(user)
    url = reverse("admin:visits_trip_add")
    page = client.get(url)
    assert page.status_code == 200
    offered = [value for value, _label in page.context["adminform"].form.fields["level"].choices]
    assert offered == LEVELS_OFFERED[name]
    data = {
        "title": "ติดตามผ่านหน้าผู้ดูแล",
        "level": level,
        "province": "50",
        "district": "5001" if level == DISTRICT else "",
        "start_date": "2024-03-24",
        "end_date": "2024-03-24",
        **formset("members", []),
        **formset("stops", []),
        **formset("news_versions", []),  # the published news posts, read only
    }
    response = client.post(url, data)
    if allowed:
        inlines = response.context and [
            (inline.formset.prefix, inline.formset.errors, inline.formset.non_form_errors())
            for inline in response.context["inline_admin_formsets"]
        ]
        assert response.status_code == 302, response.context and (
            response.context["adminform"].form.errors,
            inlines,
        )
        assert Trip.objects.get().created_by == user
    else:
        assert response.status_code == 200
        assert not Trip.objects.exists()


# --- reviewing ---------------------------------------------------------------------------------------------

# Accept or return a submitted report on the Mueang Chiang Mai center: "ok", 403 (sees it, may not review),
# 404 (does not see it).
REVIEW = {
    DISTRICT: {
        "officer": 403,
        "outsider": 404,
        "provincial": "ok",
        "head": "ok",
        "other_head": 404,
        "national": 403,
        "reviewer": 403,
        "admin": "ok",
    },
    PROVINCE: {
        "officer": 403,
        "outsider": 404,
        "provincial": 403,
        "head": "ok",
        "other_head": 404,
        "national": 403,
        "reviewer": "ok",
        "admin": "ok",
    },
    DEPARTMENT: {
        "officer": 403,
        "outsider": 404,
        "provincial": 403,
        "head": 403,
        "other_head": 404,
        "national": 403,
        "reviewer": "ok",
        "admin": "ok",
    },
}
REVIEW_CELLS = [
    (level, name, action, answer)
    for level, row in REVIEW.items()
    for name, answer in row.items()
    for action in ("accept", "return")
]
AUTHORS = {
    DISTRICT: {},
    PROVINCE: {"provincial": True},
    DEPARTMENT: {"national": True},
}


@pytest.fixture
def submitted(center):
    def make(level: str) -> CenterReport:
        author = UserFactory(username=f"author_{level}", **AUTHORS[level])
        trip = TripFactory(level=level, district_id="5001" if level == DISTRICT else None, created_by=author)
        status = {"status": ReportStatus.SUBMITTED, "submitted_at": timezone.now()}
        return CenterReportFactory(trip=trip, center=center, author=author, **status)

    return make


@pytest.mark.parametrize(("level", "name", "action", "answer"), REVIEW_CELLS)
def test_reviewing_the_reports_of_each_level(client, actor, submitted, level, name, action, answer):
    report = submitted(level)
    user = actor(name)
    client.force_login(user)
    detail = client.get(reverse("visits:report_detail", args=[report.pk]))
    if answer == 404:
        assert detail.status_code == 404
    else:
        assert detail.context["can_review"] == (answer == "ok")
    url = reverse(f"visits:report_{action}", args=[report.pk])
    response = client.post(url, {"comment": "เพิ่มข้อมูลการออม"})
    report.refresh_from_db()
    if answer == "ok":
        assert response.status_code == 302
        expected = ReportStatus.ACCEPTED if action == "accept" else ReportStatus.RETURNED
        assert (report.status, report.reviewed_by) == (expected, user)
    else:
        assert response.status_code == answer
        assert report.status == ReportStatus.SUBMITTED
    assert CenterReport.objects.reviewable_by(user).filter(pk=report.pk).exists() == (answer == "ok")


@pytest.mark.parametrize("level", [PROVINCE, DEPARTMENT])
def test_a_reviewer_does_not_review_their_own_report(client, center, actor, level):
    reviewer = actor("head" if level == PROVINCE else "reviewer")
    trip = TripFactory(level=level, district_id=None, created_by=reviewer)
    report = CenterReportFactory(
        trip=trip, center=center, author=reviewer, status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(reviewer)
    assert client.post(reverse("visits:report_accept", args=[report.pk])).status_code == 403


def test_district_officers_cannot_hold_the_reviewer_role(actor):
    from django.db import IntegrityError, transaction

    officer = actor("officer")
    officer.reviews_reports = True
    officer.full_clean()  # the form's clean drops the flag of a district account
    assert officer.reviews_reports is False
    with pytest.raises(IntegrityError), transaction.atomic():
        type(officer).objects.filter(pk=officer.pk).update(reviews_reports=True)
