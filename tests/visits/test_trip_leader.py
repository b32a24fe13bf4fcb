"""The trip's leader (issue 15.4 follow-up): ticked in the team of the trip form, one per trip; when nobody
is ticked the first member leads; the memo and the news post use the leader."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from visits.models import Trip, TripMember

from .factories import TripFactory, TripMemberFactory
from .test_views import formset, trip_data

MEMBERS = [
    {"name": "นายก ข", "position": "นักวิชาการพัฒนาชุมชนชำนาญการ", "office": "สพอ."},
    {"name": "นางค ง", "position": "พัฒนาการอำเภอ", "office": "สพอ.", "is_leader": "on"},
]


def test_the_leader_is_ticked_in_the_trip_form(client, officer):
    client.force_login(officer)
    response = client.post(reverse("visits:trip_create"), trip_data(**formset("members", MEMBERS)))
    assert response.status_code == 302
    trip = Trip.objects.get()
    assert Trip.leader_of(list(trip.members.all())).name == "นางค ง"


def test_two_leaders_are_refused_with_what_was_typed(client, officer):
    client.force_login(officer)
    members = [{**row, "is_leader": "on"} for row in MEMBERS]
    response = client.post(reverse("visits:trip_create"), trip_data(**formset("members", members)))
    assert response.status_code == 200
    assert "หัวหน้าคณะเพียงคนเดียว" in " ".join(response.context["members"].non_form_errors())
    assert "นางค ง" in response.content.decode()
    assert not Trip.objects.exists()


def test_without_a_tick_the_first_member_leads(client, officer):
    client.force_login(officer)
    members = [{key: value for key, value in row.items() if key != "is_leader"} for row in MEMBERS]
    client.post(reverse("visits:trip_create"), trip_data(**formset("members", members)))
    assert list(TripMember.objects.filter(is_leader=True).values_list("name", flat=True)) == ["นายก ข"]


def test_changing_the_leader_on_edit(client, officer):
    trip = TripFactory(created_by=officer)
    first = TripMemberFactory(trip=trip, name="นายก ข", is_leader=True)
    second = TripMemberFactory(trip=trip, name="นางค ง")
    client.force_login(officer)
    rows = [
        {"id": str(first.pk), "name": first.name, "position": first.position, "office": ""},
        {
            "id": str(second.pk),
            "name": second.name,
            "position": second.position,
            "office": "",
            "is_leader": "on",
        },
    ]
    data = trip_data(
        title=trip.title, **formset("members", rows, initial=2), **formset("stops", [], initial=0)
    )
    response = client.post(reverse("visits:trip_edit", args=[trip.pk]), data)
    assert response.status_code == 302, response.context and response.context["members"].errors
    assert list(trip.members.filter(is_leader=True)) == [second]
    assert second.history.count() == 2  # the change is in the history


def test_the_database_keeps_one_leader(db):
    trip = TripFactory()
    TripMemberFactory(trip=trip, is_leader=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TripMemberFactory(trip=trip, is_leader=True)


def test_the_admin_shows_the_published_versions_read_only(client, superuser, trip):
    from visits.models import NewsVersion

    NewsVersion.objects.create(trip=trip, number=1, text="ข่าวฉบับแรก", published_by=superuser)
    client.force_login(superuser)
    html = client.get(reverse("admin:visits_trip_change", args=[trip.pk])).content.decode()
    assert "ข่าวฉบับแรก" in html
    assert 'name="news_versions-0-text"' not in html  # shown, not editable


@pytest.mark.parametrize("order", ["leader first", "leader second"])
def test_the_admin_swaps_the_leader_in_either_order(client, superuser, order):
    """Ticking another member and unticking the leader in the admin's team inline: the former leader steps
    down first (the inline saves its rows in order; the new leader's row may come before the old one's)."""
    from tests.core.test_admin_choices import post_data

    trip = TripFactory()
    former_first = order == "leader first"
    former = TripMemberFactory(trip=trip, name="นายก ข", is_leader=True, sort_order=0 if former_first else 1)
    other = TripMemberFactory(trip=trip, name="นางค ง", sort_order=1 if former_first else 0)
    client.force_login(superuser)
    url = reverse("admin:visits_trip_change", args=[trip.pk])
    page = client.get(url)
    team = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is TripMember)
    rows = {form.instance.pk: form.prefix for form in team.forms if form.instance.pk}
    data = post_data(page, **{f"{rows[other.pk]}-is_leader": "on"})
    data.pop(f"{rows[former.pk]}-is_leader", None)
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(trip.members.filter(is_leader=True)) == [other]
    assert former.history.first().is_leader is False  # the step-down is in the history
