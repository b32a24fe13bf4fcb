"""The visits pages: journeys through the forms, bad input, scoping (outsiders get 404) and query counts."""

import re
import uuid
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import MAE_FAEK, CenterFactory, UserFactory, VillageFactory
from visits import selectors, services
from visits.models import CenterReport, FollowUp, ReportPhoto, ReportStatus, Trip, TripLevel

from .factories import CenterReportFactory, RecommendationFactory, TripFactory, image_bytes, upload


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def trip_data(**overrides) -> dict:
    data = {
        "title": "ติดตามศูนย์ฯ ท่าศาลา",
        "level": "district",
        "purpose": "ติดตามการบริหารจัดการหนี้",
        "start_date": "24/03/2567",
        "end_date": "25/03/2567",
        "helping_offices": "สำนักงานพัฒนาชุมชนอำเภอเมืองเชียงใหม่",
        **formset("members", [{"name": "", "position": "นักวิชาการพัฒนาชุมชนชำนาญการ", "office": "สพอ."}]),
        **formset("stops", [{"date": "24/03/2567", "time": "08:30", "description": "เข้าพบพัฒนาการอำเภอ"}]),
    }
    data.update(overrides)
    return data


def report_data(center=None, **overrides) -> dict:
    data = {
        "token": str(uuid.uuid4()),  # the new-report form's (the edit form has none, and ignores it)
        "visit_date": "24/03/2567",
        "people_met": "สมศรี ใจดี – ประธาน\nสมชาย – เหรัญญิก",
        "people_met_count": "8",
        "finding_committee": "ประชุมทุกเดือน",
        "strengths": "ออมควบคู่กับการกู้",
        **formset(
            "recommendations",
            [{"text": "จัดทำทะเบียนลูกหนี้", "addressed_to": "committee", "due_date": "30/06/2567"}],
        ),
    }
    if center is not None:
        data["center"] = str(center.pk)
    data.update(overrides)
    return data


@pytest.fixture
def shared(report, officer, center):
    """The report submitted, with a recommendation, a follow-up with evidence and a photo."""
    recommendation = RecommendationFactory(report=report)
    services.photo_add(user=officer, report=report, upload=upload("a.jpg", image_bytes()), caption="ภาพ")
    services.report_submit(user=officer, report=report)
    follow_up = services.follow_up_add(
        user=officer,
        recommendation=recommendation,
        noted_on=date(2024, 4, 1),
        note="เริ่มแล้ว",
        status="in_progress",
        evidence=upload("minutes.pdf", b"%PDF-1.4\n", "application/pdf"),
    )
    return {"report": report, "recommendation": recommendation, "follow_up": follow_up}


# --- journeys ---------------------------------------------------------------------------------------------


def test_officer_records_a_trip_with_team_and_itinerary(client, officer):
    client.force_login(officer)
    response = client.post(reverse("visits:trip_create"), trip_data())
    assert response.status_code == 302, response.context and response.context["form"].errors
    trip = Trip.objects.get()
    assert (trip.province_id, trip.district_id, trip.created_by) == ("50", "5001", officer)
    assert trip.start_date == date(2024, 3, 24)
    assert trip.members.get().position == "นักวิชาการพัฒนาชุมชนชำนาญการ"
    assert trip.stops.get().time.hour == 8
    body = client.get(response.url).content.decode()
    assert "เข้าพบพัฒนาการอำเภอ" in body
    assert "08.30" in body


def test_officer_edits_a_trip_and_removes_a_stop(client, officer, trip):
    stop = trip.stops.create(date=trip.start_date, description="เดิม")
    client.force_login(officer)
    data = trip_data(
        title="ชื่อใหม่",
        **formset("members", []),
        **formset(
            "stops", [{"id": str(stop.pk), "date": "24/03/2567", "description": "เดิม", "DELETE": "on"}], 1
        ),
    )
    response = client.post(reverse("visits:trip_edit", args=[trip.pk]), data)
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.title == "ชื่อใหม่"
    assert not trip.stops.exists()


def test_officer_writes_a_report_with_a_recommendation(client, officer, trip, center):
    client.force_login(officer)
    page = client.get(reverse("visits:report_create", args=[trip.pk]))
    assert page.status_code == 200
    assert 'data-draft-key="kongtun:visits:user-' in page.content.decode()
    response = client.post(reverse("visits:report_create", args=[trip.pk]), report_data(center))
    assert response.status_code == 302, response.context and response.context["form"].errors
    report = CenterReport.objects.get()
    assert response.url == reverse("visits:report_detail", args=[report.pk]) + "?saved=1"
    assert (report.author, report.status, report.people_met_total) == (officer, ReportStatus.DRAFT, 8)
    assert report.recommendations.get().text == "จัดทำทะเบียนลูกหนี้"
    body = client.get(response.url).content.decode()
    assert "data-draft-clear" in body  # the browser forgets the draft it kept
    assert "จัดทำทะเบียนลูกหนี้" in body


def test_the_new_report_form_sent_twice_records_one_report_and_answers_as_the_first(
    client, officer, trip, center
):
    """The phone's offline queue sends a save again when an answer was lost: the center has its report now
    (the only center of the trip left, so the form would be refused with a 403), yet the second send is the
    same save, answered as the first was."""
    client.force_login(officer)
    page = client.get(reverse("visits:report_create", args=[trip.pk])).content.decode()
    token = re.search(r'<input type="hidden" name="token" value="([0-9a-f-]{36})"', page).group(1)
    data = report_data(center, token=token)  # the form's own token, as the page carries it
    first = client.post(reverse("visits:report_create", args=[trip.pk]), data, follow=True)
    assert first.redirect_chain, first.context["form"].errors
    second = client.post(reverse("visits:report_create", args=[trip.pk]), data, follow=True)
    report = CenterReport.objects.get()
    assert str(report.token) == token
    assert second.redirect_chain == first.redirect_chain
    assert second.redirect_chain[0][0].startswith(reverse("visits:report_detail", args=[report.pk]))
    assert [str(m) for m in second.context["messages"]] == ["บันทึกรายงานแล้ว (สถานะ: ฉบับร่าง)"]
    assert report.recommendations.count() == 1
    assert report.history.count() == 1


def test_another_new_report_form_for_the_same_center_is_still_refused(client, officer, trip, center):
    CenterFactory()  # another center left: the form opens
    client.force_login(officer)
    url = reverse("visits:report_create", args=[trip.pk])
    assert client.post(url, report_data(center)).status_code == 302
    response = client.post(url, report_data(center))  # another token
    assert response.status_code == 200
    assert "และยังไม่มีรายงานในการลงพื้นที่ครั้งนี้" in response.content.decode()
    assert CenterReport.objects.count() == 1


def test_a_new_report_form_resent_for_another_center_is_refused(client, officer, trip, center):
    other = CenterFactory()
    client.force_login(officer)
    url = reverse("visits:report_create", args=[trip.pk])
    data = report_data(center)
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "center": str(other.pk)})  # the form's page again, another center
    assert response.status_code == 200
    assert "แบบฟอร์มนี้ถูกใช้บันทึกรายงานของศูนย์ฯ อื่นไปแล้ว" in response.content.decode()
    assert list(CenterReport.objects.values_list("center", flat=True)) == [center.pk]


def test_a_new_report_without_its_form_token_is_refused_with_a_message(client, officer, trip, center):
    client.force_login(officer)
    data = report_data(center)
    del data["token"]
    response = client.post(reverse("visits:report_create", args=[trip.pk]), data)
    assert response.status_code == 200
    assert "แบบฟอร์มนี้ไม่ครบถ้วน" in response.content.decode()
    assert not CenterReport.objects.exists()


def test_an_outsider_resending_a_form_token_gets_404(client, officer, outsider, trip, center):
    client.force_login(officer)
    data = report_data(center)
    assert client.post(reverse("visits:report_create", args=[trip.pk]), data).status_code == 302
    client.force_login(outsider)
    assert client.post(reverse("visits:report_create", args=[trip.pk]), data).status_code == 404


def test_submit_then_return_with_a_comment_then_accept(client, officer, provincial, report):
    client.force_login(officer)
    assert client.post(reverse("visits:report_submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert client.get(reverse("visits:report_detail", args=[report.pk])).context["can_change"] is False

    client.force_login(provincial)
    detail = client.get(reverse("visits:report_detail", args=[report.pk]))
    assert detail.context["can_review"]
    response = client.post(reverse("visits:report_return", args=[report.pk]), {"comment": "เพิ่มข้อมูลการออม"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "เพิ่มข้อมูลการออม")

    client.force_login(officer)
    body = client.get(reverse("visits:report_detail", args=[report.pk])).content.decode()
    assert "เพิ่มข้อมูลการออม" in body
    assert client.get(reverse("visits:report_edit", args=[report.pk])).status_code == 200
    client.post(reverse("visits:report_submit", args=[report.pk]))
    client.force_login(provincial)
    client.post(reverse("visits:report_accept", args=[report.pk]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_photo_upload_page_flow_and_serving(client, officer, provincial, report):
    client.force_login(officer)
    response = client.post(
        reverse("visits:photo_add", args=[report.pk]),
        {"image": upload("field.jpg", image_bytes()), "caption": "ประชุมคณะกรรมการ"},
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    client.force_login(provincial)
    served = client.get(reverse("visits:photo_file", args=[photo.pk, "display"]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8")


def test_follow_up_form(client, officer, shared):
    recommendation = shared["recommendation"]
    client.force_login(officer)
    response = client.post(
        reverse("visits:recommendation_detail", args=[recommendation.pk]),
        {"date": "01/05/2567", "note": "ทำครบแล้ว", "status": "done"},
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == "done"
    evidence = client.get(reverse("visits:follow_up_evidence", args=[shared["follow_up"].pk]))
    assert evidence.status_code == 200
    assert "attachment" in evidence["Content-Disposition"]


def test_print_and_news_pages(client, provincial, shared):
    report = shared["report"]
    client.force_login(provincial)
    body = client.get(reverse("visits:report_print", args=[report.pk])).content.decode()
    assert report.center.name in body
    assert "data-print" in body
    news = client.get(reverse("visits:trip_news", args=[report.trip_id]))
    assert "ลงพื้นที่ติดตามการดำเนินงานศูนย์ทดสอบท่าศาลา" in news.context["text"]
    assert "<script>" not in news.content.decode()


def test_center_page_shows_open_recommendations(client, officer, shared, center):
    client.force_login(officer)
    html = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
    assert shared["recommendation"].text in html
    assert "เกินกำหนด" in html  # due 30 June 2567, long past


def test_drafts_do_not_show_on_the_center_page(client, officer, report, center):
    RecommendationFactory(report=report, text="ยังเป็นร่าง")
    client.force_login(officer)
    html = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
    assert "ยังเป็นร่าง" not in html


# --- bad input --------------------------------------------------------------------------------------------


def test_trip_ending_before_it_starts_keeps_the_input(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("visits:trip_create"), trip_data(start_date="25/03/2567", end_date="24/03/2567")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["วันสุดท้ายต้องไม่ก่อนวันแรก"]
    body = response.content.decode()
    assert 'value="ติดตามศูนย์ฯ ท่าศาลา"' in body
    assert "เข้าพบพัฒนาการอำเภอ" in body
    assert not Trip.objects.exists()


def test_a_christian_era_year_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(reverse("visits:trip_create"), trip_data(start_date="24/03/2024"))
    assert "2567" in response.context["form"].errors["start_date"][0]


def test_a_stop_outside_the_trip_dates_is_refused(client, officer):
    client.force_login(officer)
    data = trip_data(**formset("stops", [{"date": "27/03/2567", "description": "นอกช่วง"}]))
    response = client.post(reverse("visits:trip_create"), data)
    assert response.status_code == 200
    assert "อยู่นอกช่วงการลงพื้นที่" in response.content.decode()
    assert not Trip.objects.exists()


def test_a_report_on_a_center_outside_the_trips_province_is_refused(
    client, superuser, center, lampang_center
):
    trip = TripFactory(level=TripLevel.PROVINCE, district_id=None, created_by=superuser)
    client.force_login(superuser)
    response = client.post(reverse("visits:report_create", args=[trip.pk]), report_data(lampang_center))
    assert response.status_code == 200
    assert response.context["form"].errors["center"]
    assert "ในจังหวัดที่ลงพื้นที่" in response.content.decode()
    assert "ออมควบคู่กับการกู้" in response.content.decode()  # nothing typed is lost
    assert not CenterReport.objects.exists()


def test_a_report_dated_outside_its_trip_is_refused(client, officer, trip, center):
    client.force_login(officer)
    response = client.post(
        reverse("visits:report_create", args=[trip.pk]), report_data(center, visit_date="26/03/2567")
    )
    assert response.status_code == 200
    assert "อยู่นอกช่วงการลงพื้นที่" in response.context["form"].errors["visit_date"][0]
    assert not CenterReport.objects.exists()


def test_fewer_people_met_than_named_is_refused(client, officer, trip, center):
    client.force_login(officer)
    response = client.post(
        reverse("visits:report_create", args=[trip.pk]), report_data(center, people_met_count="1")
    )
    assert response.context["form"].errors["people_met_count"]


def test_a_non_image_upload_shows_a_message_and_saves_nothing(client, officer, report):
    client.force_login(officer)
    response = client.post(
        reverse("visits:photo_add", args=[report.pk]),
        {"image": upload("notes.jpg", b"just text\n" * 30)},
        follow=True,
    )
    assert "ไฟล์นี้ไม่ใช่ภาพที่ระบบรับได้" in response.content.decode()
    assert not ReportPhoto.objects.exists()


def test_an_image_with_a_false_extension_shows_a_message(client, officer, report):
    client.force_login(officer)
    response = client.post(
        reverse("visits:photo_add", args=[report.pk]),
        {"image": upload("x.jpg", image_bytes("PNG"))},
        follow=True,
    )
    assert "แต่เนื้อไฟล์เป็นภาพ PNG" in response.content.decode()


def test_an_oversized_upload_shows_a_message(client, officer, report, settings):
    settings.VISITS_MAX_UPLOAD_BYTES = 1000
    client.force_login(officer)
    response = client.post(
        reverse("visits:photo_add", args=[report.pk]),
        {"image": upload("big.jpg", image_bytes(size=(400, 400)))},
        follow=True,
    )
    assert "เกินขนาดสูงสุด" in response.content.decode()


def test_editing_a_submitted_report_is_refused_and_keeps_the_typed_text(client, officer, report):
    services.report_submit(user=officer, report=report)
    client.force_login(officer)
    page = client.get(reverse("visits:report_edit", args=[report.pk]), follow=True)
    assert "จึงแก้ไขไม่ได้" in page.content.decode()
    data = report_data(strengths="ข้อความที่พิมพ์หลังส่งตรวจ", **formset("recommendations", []))
    response = client.post(reverse("visits:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "จึงแก้ไขไม่ได้" in body
    assert "ข้อความที่พิมพ์หลังส่งตรวจ" in body
    assert 'id="save-report"' not in body
    assert CenterReport.objects.get(pk=report.pk).strengths == "คณะกรรมการเข้มแข็ง"


def test_review_by_provincial_staff_of_another_province_is_404(client, officer, other_province, report):
    services.report_submit(user=officer, report=report)
    client.force_login(other_province)
    assert client.post(reverse("visits:report_accept", args=[report.pk])).status_code == 404
    assert client.post(reverse("visits:report_return", args=[report.pk]), {"comment": "x"}).status_code == 404
    assert CenterReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_review_by_someone_who_sees_the_report_but_is_not_a_reviewer_is_403(
    client, officer, national, report
):
    services.report_submit(user=officer, report=report)
    for user in (officer, national):
        client.force_login(user)
        assert client.post(reverse("visits:report_accept", args=[report.pk])).status_code == 403
    assert CenterReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_returning_without_a_comment_shows_a_message(client, officer, provincial, report):
    services.report_submit(user=officer, report=report)
    client.force_login(provincial)
    response = client.post(reverse("visits:report_return", args=[report.pk]), {"comment": ""}, follow=True)
    assert "กรุณาระบุสิ่งที่ผู้เขียนต้องแก้ไข" in response.content.decode()
    assert CenterReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_accepting_a_draft_shows_a_message(client, provincial, report):
    client.force_login(provincial)
    response = client.post(reverse("visits:report_accept", args=[report.pk]), follow=True)
    assert "รับรองหรือส่งกลับได้เฉพาะรายงานที่ส่งตรวจแล้ว" in response.content.decode()


def test_read_only_staff_cannot_open_the_forms(client, provincial, national, trip, report):
    for user in (provincial, national):
        client.force_login(user)
        assert client.get(reverse("visits:trip_edit", args=[trip.pk])).status_code == 403
        assert client.get(reverse("visits:report_edit", args=[report.pk])).status_code == 403
        assert client.get(reverse("visits:report_create", args=[trip.pk])).status_code == 403


def test_actions_are_post_only(client, officer, report):
    client.force_login(officer)
    for name in ("report_submit", "report_accept", "report_return", "photo_add"):
        assert client.get(reverse(f"visits:{name}", args=[report.pk])).status_code == 405
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# --- scoping: outsiders get 404 everywhere ----------------------------------------------------------------


def visit_urls(shared) -> dict[str, list[str]]:
    report, recommendation = shared["report"], shared["recommendation"]
    photo = report.photos.get()
    trip = report.trip_id
    return {
        "get": [
            reverse("visits:trip_detail", args=[trip]),
            reverse("visits:trip_news", args=[trip]),
            reverse("visits:report_detail", args=[report.pk]),
            reverse("visits:report_print", args=[report.pk]),
            reverse("visits:photo_file", args=[photo.pk, "display"]),
            reverse("visits:photo_file", args=[photo.pk, "original"]),
            reverse("visits:follow_up_evidence", args=[shared["follow_up"].pk]),
        ],
        "get_and_post": [
            reverse("visits:trip_edit", args=[trip]),
            reverse("visits:report_create", args=[trip]),
            reverse("visits:report_edit", args=[report.pk]),
            reverse("visits:recommendation_detail", args=[recommendation.pk]),
        ],
        "post": [
            reverse("visits:report_submit", args=[report.pk]),
            reverse("visits:report_accept", args=[report.pk]),
            reverse("visits:report_return", args=[report.pk]),
            reverse("visits:photo_add", args=[report.pk]),
            reverse("visits:photo_delete", args=[photo.pk]),
        ],
    }


@pytest.mark.parametrize("who", ["outsider", "other_province"])
def test_outsiders_get_404_on_every_visit_url(client, request, shared, who):
    client.force_login(request.getfixturevalue(who))
    urls = visit_urls(shared)
    for url in urls["get"] + urls["get_and_post"]:
        assert client.get(url).status_code == 404, url
    for url in urls["get_and_post"] + urls["post"]:
        assert client.post(url, {"comment": "x"}).status_code == 404, url
    assert ReportPhoto.objects.count() == 1
    assert CenterReport.objects.get().status == ReportStatus.SUBMITTED


def test_those_who_may_see_get_every_page(client, provincial, shared):
    client.force_login(provincial)
    urls = visit_urls(shared)
    for url in urls["get"] + [urls["get_and_post"][3]]:
        assert client.get(url).status_code == 200, url


def test_missing_objects_are_404_like_foreign_ones(client, officer):
    client.force_login(officer)
    for name in ("trip_detail", "report_detail", "recommendation_detail"):
        assert client.get(reverse(f"visits:{name}", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, report):
    response = client.get(reverse("visits:report_detail", args=[report.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_lists_show_only_what_the_user_may_see(client, officer, outsider, provincial, shared, sansai_center):
    other_trip = TripFactory(district_id="5014", title="ทริปสันทราย")
    other_report = CenterReportFactory(trip=other_trip, center=sansai_center, author=outsider)
    RecommendationFactory(report=other_report, text="ข้อเสนอสันทราย")
    services.report_submit(user=outsider, report=other_report)

    client.force_login(officer)
    assert "ทริปสันทราย" not in client.get(reverse("visits:trip_list")).content.decode()
    assert sansai_center.name not in client.get(reverse("visits:report_list")).content.decode()
    assert "ข้อเสนอสันทราย" not in client.get(reverse("visits:recommendation_list")).content.decode()

    client.force_login(provincial)
    assert "ทริปสันทราย" in client.get(reverse("visits:trip_list")).content.decode()
    assert sansai_center.name in client.get(reverse("visits:report_list")).content.decode()
    assert "ข้อเสนอสันทราย" in client.get(reverse("visits:recommendation_list")).content.decode()
    assert client.get(reverse("visits:report_list")).context["awaiting_review"] == 2


def test_a_district_officer_sees_a_province_trip_that_visits_their_district(client, officer, center):
    province_trip = TripFactory(level=TripLevel.PROVINCE, district_id=None, title="ทริปจังหวัด")
    elsewhere = TripFactory(level=TripLevel.PROVINCE, district_id=None, title="ทริปที่อื่น")
    province_trip.stops.create(date=province_trip.start_date, description="ติดตามศูนย์", center=center)
    client.force_login(officer)
    body = client.get(reverse("visits:trip_list")).content.decode()
    assert "ทริปจังหวัด" in body
    assert elsewhere.title not in body
    # ... and writes the report on their own center
    response = client.get(reverse("visits:report_create", args=[province_trip.pk]))
    assert list(response.context["form"].fields["center"].queryset) == [center]


# --- query counts ---------------------------------------------------------------------------------------


def make_rows(count: int, author, offset: int = 0) -> None:
    for index in range(count):
        center = CenterFactory(village=VillageFactory(subdistrict_id=MAE_FAEK, moo=(offset + index) % 99 + 1))
        trip = TripFactory(district_id="5014")
        report = CenterReportFactory(trip=trip, center=center, author=author)
        RecommendationFactory(report=report)
        trip.members.create(position="นักวิชาการ")
        services.report_submit(user=author, report=report)


@pytest.mark.parametrize(("name", "most"), [("trip_list", 6), ("report_list", 6), ("recommendation_list", 5)])
def test_list_query_counts_do_not_grow_with_rows(
    client, provincial, django_assert_max_num_queries, name, most
):
    author = UserFactory(username="writer", district_id="5014")
    client.force_login(provincial)
    make_rows(5, author)
    with django_assert_max_num_queries(most) as few:
        client.get(reverse(f"visits:{name}"))
    make_rows(45, author, offset=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(f"visits:{name}"))
    assert response.context["page"].paginator.count == 50


def test_trip_detail_query_count_is_bounded(client, provincial, django_assert_max_num_queries, trip, officer):
    client.force_login(provincial)
    url = reverse("visits:trip_detail", args=[trip.pk])
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for _index in range(10):
        center = CenterFactory()
        CenterReportFactory(trip=trip, center=center, author=officer)
        trip.members.create(position="นักวิชาการ")
        trip.stops.create(date=trip.start_date, description="จุด", center=center)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_report_pages_query_counts(client, officer, provincial, trip, report, django_assert_max_num_queries):
    """The report form and page the officers use most: access checked once, the checklist in one query."""
    RecommendationFactory(report=report)
    CenterFactory()  # a center of the district still without a report
    client.force_login(officer)
    for name, args, most in [
        ("report_create", [trip.pk], 8),
        ("report_edit", [report.pk], 7),
        ("report_detail", [report.pk], 8),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(reverse(f"visits:{name}", args=args)).status_code == 200
    client.force_login(provincial)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("visits:report_detail", args=[report.pk])).status_code == 200


def test_follow_up_with_a_bad_evidence_file_keeps_the_note(client, officer, shared):
    client.force_login(officer)
    recommendation = shared["recommendation"]
    response = client.post(
        reverse("visits:recommendation_detail", args=[recommendation.pk]),
        {"date": "01/05/2567", "note": "บันทึกสำคัญ", "status": "done", "evidence": upload("x.pdf", b"no")},
    )
    assert response.status_code == 200
    assert "บันทึกสำคัญ" in response.content.decode()
    assert FollowUp.objects.count() == 1


def test_recommendation_counts_for_dashboards(shared, officer, outsider):
    assert selectors.recommendation_counts(officer) == {"open": 1, "overdue": 1}
    assert selectors.recommendation_counts(outsider) == {"open": 0, "overdue": 0}
    assert list(selectors.open_recommendations_for_center(shared["report"].center)) == [
        shared["recommendation"]
    ]


def test_trip_detail_links_each_center_stop_to_its_report_form(client, officer, trip, center):
    stop = trip.stops.create(date=trip.start_date, description="ติดตามศูนย์", center=center)
    client.force_login(officer)
    body = client.get(reverse("visits:trip_detail", args=[trip.pk])).content.decode()
    link = reverse("visits:report_create", args=[trip.pk]) + f"?stop={stop.pk}"
    assert link in body
    form = client.get(link).context["form"]
    assert form["center"].value() == center.pk


def test_photo_help_follows_the_size_setting(client, officer, report, settings):
    settings.VISITS_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    client.force_login(officer)
    assert (
        "5.0"
        in client.get(reverse("visits:report_detail", args=[report.pk]))
        .context["photo_form"]["image"]
        .help_text
    )


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_page_renders_in_both_languages(client, superuser, shared, language):
    client.force_login(superuser)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    urls = visit_urls(shared)
    report = shared["report"]
    pages = [
        reverse("visits:trip_list"),
        reverse("visits:trip_create"),
        reverse("visits:report_list"),
        reverse("visits:report_list") + "?status=submitted",
        reverse("visits:recommendation_list"),
        reverse("visits:recommendation_list") + "?overdue=on",
        reverse("visits:trip_edit", args=[report.trip_id]),
        *[url for url in urls["get"] if "photos" not in url and "evidence" not in url],
        urls["get_and_post"][3],
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()


def test_department_staff_record_a_trip_in_any_province(client, national, center):
    client.force_login(national)
    form = client.get(reverse("visits:trip_create")).context["form"]
    assert form["province"].field.widget.attrs["data-area-child"] == "id_district"
    assert form["level"].value() == TripLevel.DEPARTMENT
    data = trip_data(level="department", province="50", district="", **formset("stops", []))
    response = client.post(reverse("visits:trip_create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    trip = Trip.objects.get()
    assert (trip.province_id, trip.district_id, trip.created_by) == ("50", None, national)
    edit = client.get(reverse("visits:trip_edit", args=[trip.pk]))
    assert list(edit.context["stops"].forms[0].fields["center"].queryset) == [center]


def test_center_page_lists_its_visit_reports(client, officer, report, center):
    client.force_login(officer)
    html = client.get(reverse("centers:center_detail", args=[center.pk])).content.decode()
    assert reverse("visits:report_detail", args=[report.pk]) in html


def test_the_report_page_counts_the_follow_ups_of_each_recommendation(client, officer, shared):
    quiet = RecommendationFactory(report=shared["report"])
    client.force_login(officer)
    for name in ("visits:report_detail", "visits:report_print"):
        html = client.get(reverse(name, args=[shared["report"].pk])).content.decode()
        counted = reverse("visits:recommendation_detail", args=[shared["recommendation"].pk])
        assert re.search(rf'href="{counted}">[^<]+ \(1\)</a>', html)
        assert re.search(
            rf'href="{reverse("visits:recommendation_detail", args=[quiet.pk])}">[^<(]+</a>', html
        )


def test_the_report_page_lists_its_steps_with_who_took_them(client, provincial, officer, report):
    report.finding_committee = "ประชุมทุกเดือน"
    report.save()
    client.force_login(officer)
    client.post(reverse("visits:report_submit", args=[report.pk]))
    client.force_login(provincial)
    client.post(reverse("visits:report_return", args=[report.pk]), {"comment": "ขอข้อมูลเพิ่ม"})
    client.force_login(officer)
    html = client.get(reverse("visits:report_detail", args=[report.pk])).content.decode()
    history = html.split('id="history">', 1)[1].split("</ul>", 1)[0]
    steps = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert len(steps) == 2, steps  # submitted, returned
    author = officer.get_full_name() or officer.username
    reviewer = provincial.get_full_name() or provincial.username
    assert [step.rsplit(" · ", 1)[1] for step in steps] == [author, reviewer]


def test_the_lists_filter_with_django_filter(client, provincial, officer, trip, center, time_machine):
    time_machine.move_to(date(2024, 8, 1))
    submitted = CenterReportFactory(trip=trip, center=center, author=officer)
    late = RecommendationFactory(report=submitted, text="ข้อเสนอเลยกำหนด", due_date=date(2024, 6, 30))
    soon = RecommendationFactory(report=submitted, text="ข้อเสนอยังไม่ถึงกำหนด", due_date=date(2024, 12, 31))
    services.report_submit(user=officer, report=submitted)
    draft = CenterReportFactory(trip=trip, center=CenterFactory(), author=officer)
    client.force_login(provincial)

    def listed(name: str, query: str) -> set[int]:
        response = client.get(reverse(f"visits:{name}") + query)
        assert response.status_code == 200
        return {row.pk for row in response.context["page"]}

    assert listed("report_list", "?status=submitted") == {submitted.pk}
    client.force_login(officer)
    assert listed("report_list", "?status=draft") == {draft.pk}
    assert listed("report_list", "") == {submitted.pk, draft.pk}
    assert listed("report_list", "?status=nonsense") == set()  # never a wider list (core.filters)
    assert listed("recommendation_list", "?overdue=on") == {late.pk}
    assert (
        listed("recommendation_list", "") == listed("recommendation_list", "?overdue=") == {late.pk, soon.pk}
    )
    response = client.get(reverse("visits:recommendation_list") + "?overdue=on")
    assert response.context["overdue_only"] is True
    assert response.context["filter"].form.cleaned_data["overdue"] is True  # a django-filter FilterSet
    response = client.get(reverse("visits:report_list") + "?status=submitted")
    assert response.context["status"] == "submitted"
    assert response.context["filter"].form.cleaned_data["status"] == "submitted"
