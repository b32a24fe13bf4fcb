"""The review workflow, who may take each step, and the snapshot that stays as it was."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.concurrency import at_once, skip_if_locks_never_wait
from tests.factories import LAMPANG, CenterFactory, UserFactory, VillageFactory
from visits import selectors, services, snapshot
from visits.models import (
    CenterReport,
    Recommendation,
    RecommendationStatus,
    RegistryKind,
    ReportStatus,
    Trip,
    TripLevel,
)

from .factories import CenterReportFactory, RecommendationFactory, TripFactory


def submitted(report, user):
    return services.report_submit(user=user, report=report)


# --- workflow ---------------------------------------------------------------------------------------------


def test_draft_submitted_accepted_is_recorded_in_the_history(report, officer, provincial):
    submitted(report, officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None
    services.report_accept(user=provincial, report=report, comment="ครบถ้วน")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_comment) == (
        ReportStatus.ACCEPTED,
        provincial,
        "ครบถ้วน",
    )
    history = report.history.order_by("history_date")
    steps = [(record.status, record.history_change_reason) for record in history]
    assert steps[-2:] == [("submitted", "submitted"), ("accepted", "accepted")]


def test_returned_report_goes_back_to_its_author_and_can_be_resubmitted(report, officer, provincial):
    submitted(report, officer)
    services.report_return(user=provincial, report=report, comment="เพิ่มข้อมูลการออม")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "เพิ่มข้อมูลการออม"
    report.finding_savings = "ออมเดือนละ 100 บาท"
    services.report_update(user=officer, report=report)
    submitted(report, officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    steps = [record.history_change_reason for record in selectors.report_detail(report)["steps"]]
    assert steps == ["submitted", "returned", "edited", "submitted"]


def test_return_needs_a_comment(report, officer, provincial):
    submitted(report, officer)
    with pytest.raises(ValidationError) as error:
        services.report_return(user=provincial, report=report, comment="   ")
    assert "comment" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_each_step_is_recorded_once_in_the_history(trip, center, officer):
    report = CenterReport(trip=trip, center=center, visit_date=trip.start_date, strengths="ดี")
    report = services.report_create(user=officer, report=report, registries=RegistryKind.objects.all()[:2])
    services.report_update(user=officer, report=report, registries=RegistryKind.objects.all()[:3])
    submitted(report, officer)
    steps = [record.history_change_reason for record in selectors.report_detail(report)["steps"]]
    assert steps == ["created", "edited", "submitted"]


def test_a_submitted_report_is_locked_for_its_author(report, officer):
    submitted(report, officer)
    report = CenterReport.objects.get(pk=report.pk)
    report.strengths = "แก้หลังส่ง"
    with pytest.raises(ValidationError, match="จึงแก้ไขไม่ได้"):
        services.report_update(user=officer, report=report)
    assert CenterReport.objects.get(pk=report.pk).strengths == "คณะกรรมการเข้มแข็ง"
    with pytest.raises(ValidationError):
        submitted(report, officer)


def test_an_accepted_report_cannot_be_returned_or_accepted_again(report, officer, provincial):
    submitted(report, officer)
    services.report_accept(user=provincial, report=report)
    with pytest.raises(ValidationError, match="รับรองหรือส่งกลับได้เฉพาะรายงานที่ส่งตรวจแล้ว"):
        services.report_return(user=provincial, report=report, comment="ขอแก้")
    with pytest.raises(ValidationError):
        services.report_accept(user=provincial, report=report)


def test_a_draft_cannot_be_reviewed(report, provincial):
    with pytest.raises(ValidationError):
        services.report_accept(user=provincial, report=report)


def test_an_empty_report_cannot_be_submitted(trip, center, officer):
    report = CenterReportFactory(trip=trip, center=center, author=officer, finding_committee="", strengths="")
    with pytest.raises(ValidationError, match="อย่างน้อยหนึ่งเรื่อง"):
        submitted(report, officer)


# --- who may take each step -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "outsider", "national", "other_province"])
def test_only_provincial_staff_of_the_province_and_admins_review(report, officer, request, who):
    submitted(report, officer)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.report_accept(user=user, report=report)
    with pytest.raises(PermissionDenied):
        services.report_return(user=user, report=report, comment="ไม่ผ่าน")
    assert CenterReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_admin_may_review(report, officer, superuser):
    submitted(report, officer)
    services.report_accept(user=superuser, report=report)
    assert CenterReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_nobody_reviews_their_own_report(trip, center, provincial):
    report = CenterReportFactory(trip=trip, center=center, author=provincial)
    submitted(report, provincial)
    with pytest.raises(PermissionDenied):
        services.report_accept(user=provincial, report=report)


@pytest.mark.parametrize("who", ["outsider", "provincial", "national"])
def test_only_the_district_and_the_author_submit_or_edit(report, request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        submitted(report, user)
    with pytest.raises(PermissionDenied):
        services.report_update(user=user, report=report)


def test_a_colleague_of_the_district_may_edit_the_draft(report):
    colleague = UserFactory(username="colleague")
    report.problems = "ขาดทะเบียน"
    services.report_update(user=colleague, report=report)
    assert CenterReport.objects.get(pk=report.pk).problems == "ขาดทะเบียน"


# --- report rules -----------------------------------------------------------------------------------------


def test_a_report_for_a_center_outside_the_trips_province_is_refused(trip, superuser, lampang_center):
    report = CenterReport(trip=trip, center=lampang_center, visit_date=trip.start_date, strengths="x")
    with pytest.raises(ValidationError) as error:
        services.report_create(user=superuser, report=report)
    assert "อยู่นอกจังหวัดที่ลงพื้นที่" in error.value.message_dict["center"][0]
    assert not CenterReport.objects.exists()


def test_a_report_dated_outside_its_trip_is_refused(trip, center, officer):
    report = CenterReport(trip=trip, center=center, visit_date=date(2024, 3, 26), strengths="x")
    with pytest.raises(ValidationError) as error:
        services.report_create(user=officer, report=report)
    assert "อยู่นอกช่วงการลงพื้นที่" in error.value.message_dict["visit_date"][0]


def test_a_district_officer_reports_only_on_centers_of_their_district(center, sansai_center, officer):
    province_trip = TripFactory(level=TripLevel.PROVINCE, district_id=None, created_by=None)
    province_trip.stops.create(date=province_trip.start_date, description="ติดตาม", center=center)
    report = CenterReport(trip=province_trip, center=sansai_center, visit_date=province_trip.start_date)
    with pytest.raises(ValidationError) as error:
        services.report_create(user=officer, report=report)
    assert "center" in error.value.message_dict


def test_no_report_on_a_trip_the_officer_cannot_see(center, officer):
    other_district_trip = TripFactory(district_id="5014")
    report = CenterReport(trip=other_district_trip, center=center, visit_date=other_district_trip.start_date)
    with pytest.raises(PermissionDenied):
        services.report_create(user=officer, report=report)


def test_one_report_per_center_and_trip(report, officer):
    duplicate = CenterReport(trip=report.trip, center=report.center, visit_date=report.visit_date)
    with pytest.raises(ValidationError):
        services.report_create(user=officer, report=duplicate)


# --- the new-report form's token ---------------------------------------------------------------------------


def new_report(trip, center, **fields):
    return CenterReport(trip=trip, center=center, visit_date=trip.start_date, strengths="ดี", **fields)


def test_the_same_form_sent_twice_records_one_report(trip, center, officer):
    token = uuid.uuid4()
    first = services.report_create(
        user=officer, report=new_report(trip, center), token=token, recommendations=[Recommendation(text="ก")]
    )
    again = services.report_create(
        user=officer, report=new_report(trip, center), token=token, recommendations=[Recommendation(text="ก")]
    )
    assert again.pk == first.pk
    assert first.token == token
    assert CenterReport.objects.filter(trip=trip, center=center).count() == 1
    assert Recommendation.objects.filter(report=first).count() == 1  # nothing of the second send is added
    assert first.history.count() == 1


def test_another_form_for_the_same_center_and_trip_is_still_refused(trip, center, officer):
    services.report_create(user=officer, report=new_report(trip, center), token=uuid.uuid4())
    with pytest.raises(ValidationError) as error:
        services.report_create(user=officer, report=new_report(trip, center), token=uuid.uuid4())
    assert error.value.messages == ["การลงพื้นที่ครั้งนี้มีรายงานของศูนย์ฯ นี้แล้ว"]
    assert CenterReport.objects.count() == 1


def test_a_form_token_used_for_another_center_is_refused(trip, center, officer):
    other = CenterFactory(village=VillageFactory(moo=center.village.moo % 99 + 1))  # not the moo of `center`
    token = uuid.uuid4()
    services.report_create(user=officer, report=new_report(trip, center), token=token)
    with pytest.raises(ValidationError) as error:
        services.report_create(user=officer, report=new_report(trip, other), token=token)
    assert error.value.messages == ["แบบฟอร์มนี้ถูกใช้บันทึกรายงานของศูนย์ฯ อื่นไปแล้ว กรุณาเปิดแบบฟอร์มใหม่อีกครั้ง"]
    assert list(CenterReport.objects.values_list("center", flat=True)) == [center.pk]


def test_a_form_token_is_checked_after_who_may_write(trip, center, officer, outsider):
    token = uuid.uuid4()
    services.report_create(user=officer, report=new_report(trip, center), token=token)
    with pytest.raises(PermissionDenied):  # someone else's trip: the token tells nothing
        services.report_create(user=outsider, report=new_report(trip, center), token=token)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_token", [True, False], ids=["same-form", "two-forms"])
def test_two_sends_at_once_record_one_report(same_token):
    skip_if_locks_never_wait()
    # The phone's offline queue sending while the page sends, or two phones: both at the same moment.
    # On PostgreSQL the trip's row lock orders them; on SQLite the write lock taken when each transaction
    # begins (config.settings.base.SQLITE_OPTIONS). Either way the second sees the first's report.
    officer = UserFactory(username="officer_a")
    trip, center = TripFactory(created_by=officer), CenterFactory()
    token = uuid.uuid4()

    def post() -> int:
        report = new_report(Trip.objects.get(pk=trip.pk), center)
        return services.report_create(
            user=officer, report=report, token=token if same_token else uuid.uuid4()
        ).pk

    recorded, errors = at_once(post, post)
    assert CenterReport.objects.filter(trip=trip, center=center).count() == 1
    if same_token:
        assert errors == []
        assert len(recorded) == 2
        assert len(set(recorded)) == 1
    else:  # the clear refusal, not the database's IntegrityError
        assert len(recorded) == 1
        assert [type(exc) for exc in errors] == [ValidationError]
        assert errors[0].messages == ["การลงพื้นที่ครั้งนี้มีรายงานของศูนย์ฯ นี้แล้ว"]


def test_due_date_before_the_visit_is_refused(report, officer):
    recommendation = Recommendation(report=report, text="ทำทะเบียน", due_date=date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.report_update(user=officer, report=report, recommendations=[recommendation])
    assert "due_date" in error.value.message_dict


# --- trips ------------------------------------------------------------------------------------------------


def test_the_database_refuses_a_trip_ending_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        TripFactory(start_date=date(2024, 3, 25), end_date=date(2024, 3, 24))


def test_the_database_refuses_a_district_outside_the_province(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        TripFactory(province_id=LAMPANG, district_id="5001")


def test_trip_end_before_start_is_a_clear_message(officer):
    trip = Trip(title="ทดสอบ", start_date=date(2024, 3, 25), end_date=date(2024, 3, 24), province_id="50")
    trip.district_id = officer.district_id
    with pytest.raises(ValidationError) as error:
        services.trip_save(user=officer, trip=trip)
    assert error.value.message_dict["end_date"] == ["วันสุดท้ายต้องไม่ก่อนวันแรก"]


def test_a_district_officer_records_trips_of_their_own_district_only(outsider):
    trip = Trip(title="ทดสอบ", start_date=date(2024, 3, 24), end_date=date(2024, 3, 24), province_id="50")
    trip.district_id = "5001"
    with pytest.raises(ValidationError) as error:
        services.trip_save(user=outsider, trip=trip)
    assert "district" in error.value.message_dict


def test_shrinking_a_trip_past_its_reports_is_refused(report, officer):
    trip = Trip.objects.get(pk=report.trip_id)
    trip.start_date = trip.end_date = date(2024, 3, 25)
    with pytest.raises(ValidationError, match="นอกช่วงวันที่ใหม่"):
        services.trip_save(user=officer, trip=trip)
    assert Trip.objects.get(pk=trip.pk).start_date == date(2024, 3, 24)


def test_provincial_staff_edit_only_the_trips_they_recorded(trip, provincial):
    with pytest.raises(PermissionDenied):
        services.trip_save(user=provincial, trip=trip)
    own = Trip(title="ของจังหวัด", level=TripLevel.PROVINCE, province_id="50")
    own.start_date = own.end_date = date(2024, 4, 1)
    services.trip_save(user=provincial, trip=own)
    own.title = "แก้ชื่อ"
    services.trip_save(user=provincial, trip=own)
    assert Trip.objects.get(pk=own.pk).created_by == provincial


# --- follow-up --------------------------------------------------------------------------------------------


def test_follow_up_changes_the_status_of_a_recommendation(report, officer, provincial):
    recommendation = RecommendationFactory(report=report)
    with pytest.raises(PermissionDenied):  # not while the report is a draft
        services.follow_up_add(
            user=officer, recommendation=recommendation, noted_on=date(2024, 4, 1), note="ทำ", status="done"
        )
    submitted(report, officer)
    services.follow_up_add(
        user=officer,
        recommendation=recommendation,
        noted_on=date(2024, 4, 1),
        note="เริ่มทำทะเบียนแล้ว",
        status=RecommendationStatus.IN_PROGRESS,
    )
    services.follow_up_add(
        user=provincial, recommendation=recommendation, noted_on=date(2024, 5, 1), note="ครบ", status="done"
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    assert list(recommendation.follow_ups.values_list("note", flat=True)) == ["เริ่มทำทะเบียนแล้ว", "ครบ"]


def test_follow_up_before_the_visit_is_refused(report, officer):
    recommendation = RecommendationFactory(report=report)
    submitted(report, officer)
    with pytest.raises(ValidationError):
        services.follow_up_add(
            user=officer, recommendation=recommendation, noted_on=date(2024, 1, 1), note="ก่อน", status="done"
        )


def test_outsider_cannot_follow_up(report, officer, outsider):
    recommendation = RecommendationFactory(report=report)
    submitted(report, officer)
    with pytest.raises(PermissionDenied):
        services.follow_up_add(
            user=outsider, recommendation=recommendation, noted_on=date(2024, 4, 1), note="x", status="done"
        )


# --- snapshot ---------------------------------------------------------------------------------------------


def test_snapshot_counts_households_as_they_were_on_the_visit_date(officer, center):
    """Households enrolled and debt-free come from the status log as of the day; contracts come later."""
    from households import services as household_services
    from tests.households.factories import HouseholdFactory

    def move(household, *steps):
        for service, on in steps:
            service(user=officer, household=household, on=on)

    target, enrol, free = (
        household_services.household_select_as_target,
        household_services.household_enrol,
        household_services.household_mark_debt_free,
    )
    early, late, freed = (HouseholdFactory(center=center, surveyed_on=date(2024, 1, 5)) for _ in range(3))
    HouseholdFactory(center=center, surveyed_on=date(2024, 6, 1))  # not yet surveyed on the visit date
    move(early, (target, date(2024, 2, 1)), (enrol, date(2024, 3, 1)))
    move(late, (target, date(2024, 2, 1)), (enrol, date(2024, 4, 1)))
    move(freed, (target, date(2024, 2, 1)), (enrol, date(2024, 2, 10)), (free, date(2024, 3, 20)))

    figures = snapshot.snapshot_for(center, date(2024, 3, 24))
    assert (figures.households_enrolled, figures.households_debt_free) == (2, 1)  # early and freed; freed
    assert (figures.debt_reduced, figures.savings) == (None, None)  # unknown until contracts are recorded
    later = snapshot.snapshot_for(center, date(2024, 4, 30))
    assert (later.households_enrolled, later.households_debt_free) == (3, 1)
    assert snapshot.household_statuses_on(center, date(2024, 1, 31))["surveyed"] == 3


def test_snapshot_stays_as_it_was_on_the_first_submission(monkeypatch, trip, center, officer, provincial):
    figures = {"value": snapshot.CenterSnapshot(households_enrolled=16, savings=Decimal("12500.00"))}
    calls = []

    def fake_snapshot_for(center_arg, on_date):
        calls.append(on_date)
        return figures["value"]

    monkeypatch.setattr(snapshot, "snapshot_for", fake_snapshot_for)
    report = services.report_create(
        user=officer, report=CenterReport(trip=trip, center=center, visit_date=trip.start_date, strengths="ดี")
    )
    assert report.snapshot_households_enrolled == 16
    assert calls == [trip.start_date]

    figures["value"] = snapshot.CenterSnapshot(households_enrolled=18, savings=Decimal("13000.00"))
    submitted(report, officer)
    report.refresh_from_db()
    assert (report.snapshot_households_enrolled, report.snapshot_savings) == (18, Decimal("13000.00"))
    assert report.snapshot_frozen

    # Later data never changes what the report recorded: not a return, an edit, a resubmission or acceptance.
    figures["value"] = snapshot.CenterSnapshot(households_enrolled=40, savings=Decimal("99999.00"))
    services.report_return(user=provincial, report=report, comment="แก้ไข")
    report.refresh_from_db()
    report.problems = "ไม่มี"
    services.report_update(user=officer, report=report)
    submitted(report, officer)
    services.report_accept(user=provincial, report=report)
    report.refresh_from_db()
    assert (report.snapshot_households_enrolled, report.snapshot_savings) == (18, Decimal("13000.00"))
    assert len(calls) == 2


# --- the dashboards ---------------------------------------------------------------------------------------


def test_a_report_with_recommendations_refreshes_its_center_once(trip, center, officer, monkeypatch):
    from dashboards import rollups

    refreshed = []
    refresh = rollups._refresh
    monkeypatch.setattr(
        rollups, "_refresh", lambda center_id: (refreshed.append(center_id), refresh(center_id))
    )
    report = CenterReport(trip=trip, center=center, visit_date=trip.start_date, strengths="ดี")
    recommendations = [Recommendation(text=f"ข้อเสนอ {n}", due_date=date(2024, 6, 30)) for n in (1, 2)]
    services.report_create(user=officer, report=report, recommendations=recommendations)
    for recommendation in recommendations:
        recommendation.text += " (แก้ไข)"
    services.report_update(user=officer, report=report, recommendations=recommendations)
    assert refreshed == []  # a draft counts in no figure (tests/dashboards/test_rollups_reports.py)
    submitted(report, officer)
    assert refreshed == [center.pk]
    refreshed.clear()
    services.follow_up_add(
        user=officer, recommendation=recommendations[0], noted_on=date(2024, 4, 1), note="ทำ", status="done"
    )
    assert refreshed == [center.pk]  # the note and the recommendation's new status, once
