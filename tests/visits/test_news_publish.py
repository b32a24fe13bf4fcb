"""Publishing the news post (issue 15.3): a version freezes the text and its chosen photos; a later edit is a
new version; the text and photos download as a zip; only who may see the trip opens it."""

import io
import zipfile

import pytest
from django.urls import reverse

from visits import services
from visits.models import NewsVersion

from .factories import CenterReportFactory, TripMemberFactory, image_bytes, upload


@pytest.fixture
def shared(trip, center, officer, media_root):
    TripMemberFactory(trip=trip, name="สมศรี ใจดี", is_leader=True)
    report = CenterReportFactory(trip=trip, center=center, author=officer)
    photos = [
        services.photo_add(
            user=officer, report=report, upload=upload(f"{n}.jpg", image_bytes()), caption=f"ภาพ {n}"
        )
        for n in (1, 2)
    ]
    services.report_submit(user=officer, report=report)
    return report, photos


def news_url(trip, **query):
    url = reverse("visits:trip_news", args=[trip.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_publishing_freezes_the_text_and_a_later_edit_is_a_new_version(client, officer, trip, shared):
    report, photos = shared
    client.force_login(officer)
    generated = client.get(news_url(trip)).context["form"]["text"].value()
    assert "ศูนย์ทดสอบท่าศาลา" in generated
    response = client.post(news_url(trip), {"text": generated + "\nแก้ไขแล้ว", "photos": [photos[1].pk]})
    assert response.status_code == 302
    first = NewsVersion.objects.get()
    assert (first.number, list(first.photos.all())) == (1, [photos[1]])
    assert first.text.endswith("แก้ไขแล้ว")
    # the reports change: the published text does not
    report.strengths = "ข้อความใหม่ในรายงาน"
    report.save()
    page = client.get(news_url(trip))
    assert page.context["text"] == first.text
    assert "ข้อความใหม่ในรายงาน" not in page.context["form"]["text"].value()
    # the same text again publishes nothing new; an edit is version 2, version 1 stays
    client.post(news_url(trip), {"text": first.text, "photos": [photos[1].pk]})
    assert NewsVersion.objects.count() == 1
    client.post(news_url(trip), {"text": first.text + " อีกครั้ง", "photos": []})
    assert list(NewsVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert NewsVersion.objects.get(number=1).text == first.text
    assert client.get(news_url(trip, version=1)).context["text"] == first.text
    assert first.history.exists()


def test_an_empty_text_is_refused_and_the_choice_kept(client, officer, trip, shared):
    _report, photos = shared
    client.force_login(officer)
    response = client.post(news_url(trip), {"text": "  ", "photos": [photos[0].pk]})
    assert response.status_code == 200
    assert "เขียนข้อความข่าว" in " ".join(response.context["form"].errors["text"])
    assert response.context["form"]["photos"].value() == [str(photos[0].pk)]
    assert not NewsVersion.objects.exists()


def test_a_photo_of_another_trip_is_refused(client, officer, trip, shared, center, media_root):
    other = CenterReportFactory(center=center, author=officer)
    stranger = services.photo_add(user=officer, report=other, upload=upload("x.jpg", image_bytes()))
    client.force_login(officer)
    response = client.post(news_url(trip), {"text": "ข่าว", "photos": [stranger.pk]})
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert not NewsVersion.objects.exists()


def test_only_who_may_edit_the_trip_publishes(client, provincial, trip, shared):
    client.force_login(provincial)  # sees the trip, does not edit it
    assert client.get(news_url(trip)).context["form"] is None
    assert client.post(news_url(trip), {"text": "ข่าว"}).status_code == 403
    assert not NewsVersion.objects.exists()


def test_the_download_holds_the_text_and_the_chosen_photos(client, officer, provincial, trip, shared):
    _report, photos = shared
    client.force_login(officer)
    client.post(news_url(trip), {"text": "ข่าวที่เผยแพร่", "photos": [photos[0].pk]})
    client.force_login(provincial)
    response = client.get(reverse("visits:trip_news_download", args=[trip.pk]))
    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(bundle.namelist()) == ["news.txt", "photos/01.jpg"]
    text = bundle.read("news.txt").decode()
    assert text.startswith("ข่าวที่เผยแพร่")
    assert "photos/01.jpg: ภาพ 1" in text


def test_before_publishing_the_download_is_the_written_post_with_every_photo(client, officer, trip, shared):
    client.force_login(officer)
    response = client.get(reverse("visits:trip_news_download", args=[trip.pk]))
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(bundle.namelist()) == ["news.txt", "photos/01.jpg", "photos/02.jpg"]
    assert "ศูนย์ทดสอบท่าศาลา" in bundle.read("news.txt").decode()


def test_an_outsider_gets_404(client, other_province, trip, shared):
    client.force_login(other_province)
    assert client.get(news_url(trip)).status_code == 404
    assert client.get(reverse("visits:trip_news_download", args=[trip.pk])).status_code == 404
    assert client.post(news_url(trip), {"text": "ข่าว"}).status_code == 404


def test_the_page_reads_a_bounded_number_of_rows(
    client, officer, trip, shared, django_assert_max_num_queries
):
    client.force_login(officer)
    for n in range(3):
        client.post(news_url(trip), {"text": f"ข่าว {n}"})
    with django_assert_max_num_queries(40):
        response = client.get(news_url(trip))
    assert len(response.context["versions"]) == 3
