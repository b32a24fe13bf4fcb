"""The trip form in one pass (issue 15.2): the itinerary's center menus follow the province chosen, so the
stops are linked to their centers on the first save; a report started from a stop takes its center and day."""

import re
from datetime import date, time

from django.urls import reverse

from tests.factories import CenterFactory
from visits.models import ItineraryStop

from .factories import TripFactory
from .test_views import formset, trip_data


def option_values(html: str) -> list[str]:

    return [value for value in re.findall(r'<option value="([^"]*)"', html) if value]


def test_the_center_menu_follows_the_province(client, national, center, sansai_center, lampang_center):
    client.force_login(national)
    form = client.get(reverse("visits:trip_create")).content.decode()
    url = reverse("visits:stop_center_options")
    assert f'data-stop-centers-url="{url}"' in form
    assert "data-stop-center" in form
    chiang_mai = client.get(url, {"province": "50"}).content.decode()
    assert sorted(option_values(chiang_mai)) == sorted([str(center.pk), str(sansai_center.pk)])
    assert option_values(client.get(url, {"province": "52"}).content.decode()) == [str(lampang_center.pk)]
    assert option_values(client.get(url, {"province": ""}).content.decode()) == []
    assert option_values(client.get(url, {"province": "x' OR 1"}).content.decode()) == []


def test_the_center_menu_holds_only_the_centers_the_user_sees(client, outsider, center, sansai_center):
    client.force_login(outsider)  # a San Sai officer: the Mueang center is not theirs
    html = client.get(reverse("visits:stop_center_options"), {"province": "50"}).content.decode()
    assert option_values(html) == [str(sansai_center.pk)]


def test_the_center_menu_needs_a_login(client):
    response = client.get(reverse("visits:stop_center_options"), {"province": "50"})
    assert response.status_code == 302


def test_the_center_menu_reads_a_bounded_number_of_rows(client, national, django_assert_max_num_queries):
    for moo in range(12):
        CenterFactory(name=f"ศูนย์ทดสอบ {moo}")
    client.force_login(national)
    with django_assert_max_num_queries(4):
        html = client.get(reverse("visits:stop_center_options"), {"province": "50"}).content.decode()
    assert len(option_values(html)) == 12


def test_a_department_trip_links_its_stops_to_centers_on_the_first_save(client, national, center):
    client.force_login(national)
    stops = [
        {"date": "24/03/2567", "time": "08:30", "description": "เข้าพบพัฒนาการจังหวัด", "center": ""},
        {"date": "25/03/2567", "time": "09:30", "description": "ติดตามศูนย์ฯ ท่าศาลา", "center": str(center.pk)},
    ]
    data = trip_data(level="department", province="50", district="", **formset("stops", stops))
    response = client.post(reverse("visits:trip_create"), data)
    assert response.status_code == 302, response.context and response.context["stops"].errors
    visit = ItineraryStop.objects.get(center__isnull=False)
    assert (visit.center, visit.date, visit.trip.level) == (center, date(2024, 3, 25), "department")


def test_a_stop_refuses_a_center_of_another_province(client, national, lampang_center):
    client.force_login(national)
    stops = [{"date": "24/03/2567", "description": "ติดตาม", "center": str(lampang_center.pk)}]
    data = trip_data(level="department", province="50", district="", **formset("stops", stops))
    response = client.post(reverse("visits:trip_create"), data)
    assert response.status_code == 200
    assert "center" in response.context["stops"].forms[0].errors
    assert not ItineraryStop.objects.exists()


def test_a_report_started_from_a_stop_takes_its_center_and_date(client, officer, center, trip):
    second_day = ItineraryStop.objects.create(
        trip=trip, date=date(2024, 3, 25), time=time(9, 30), description="ติดตามศูนย์ฯ", center=center
    )
    client.force_login(officer)
    detail = client.get(reverse("visits:trip_detail", args=[trip.pk])).content.decode()
    start = reverse("visits:report_create", args=[trip.pk]) + f"?stop={second_day.pk}"
    assert f'href="{start}"' in detail
    form = client.get(start).context["form"]
    assert form["center"].value() == center.pk
    assert form["visit_date"].value() == date(2024, 3, 25)
    # the older link by center finds the stop too
    by_center = client.get(reverse("visits:report_create", args=[trip.pk]), {"center": center.pk})
    assert by_center.context["form"]["visit_date"].value() == date(2024, 3, 25)


def test_a_stop_of_another_trip_gives_nothing(client, officer, center, trip):
    other = TripFactory(created_by=officer)
    stop = ItineraryStop.objects.create(trip=other, date=date(2024, 3, 25), description="x", center=center)
    client.force_login(officer)
    form = client.get(reverse("visits:report_create", args=[trip.pk]), {"stop": stop.pk}).context["form"]
    assert form["center"].value() is None
    assert form["visit_date"].value() is None
