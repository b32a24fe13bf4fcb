"""The visits admin pages load and follow the same jurisdiction as the pages."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .factories import CenterReportFactory, RecommendationFactory, TripFactory


@pytest.fixture
def rows(report, sansai_center):
    other = CenterReportFactory(trip=TripFactory(district_id="5014", title="ทริปสันทราย"), center=sansai_center)
    return {"mine": report, "other": other, "recommendation": RecommendationFactory(report=report)}


@pytest.mark.parametrize("model", ["trip", "centerreport", "recommendation", "registrykind"])
def test_admin_pages_load_for_an_administrator(client, superuser, rows, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:visits_{model}_changelist")).status_code == 200
    objects = {
        "trip": rows["mine"].trip,
        "centerreport": rows["mine"],
        "recommendation": rows["recommendation"],
    }
    if model in objects:
        assert (
            client.get(reverse(f"admin:visits_{model}_change", args=[objects[model].pk])).status_code == 200
        )


def test_staff_see_only_their_jurisdiction_in_the_admin(client, rows):
    staff = UserFactory(username="staff_a", is_staff=True)
    client.force_login(staff)
    body = client.get(reverse("admin:visits_trip_changelist")).content.decode()
    assert rows["mine"].trip.title in body
    assert "ทริปสันทราย" not in body
    response = client.get(reverse("admin:visits_centerreport_change", args=[rows["other"].pk]))
    assert response.status_code == 404


def test_review_fields_are_read_only_in_the_admin(client, superuser, report):
    client.force_login(superuser)
    form = client.get(reverse("admin:visits_centerreport_change", args=[report.pk])).context["adminform"].form
    assert "status" not in form.fields
    assert "snapshot_households_enrolled" not in form.fields
