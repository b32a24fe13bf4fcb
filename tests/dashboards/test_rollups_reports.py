"""Visit reports count in the figures only while shared (submitted or accepted): a draft's or a returned
report's writes refresh nothing, and a report that enters or leaves a shared status refreshes its center."""

from datetime import date

import pytest
from django.core.management import call_command

from core import events
from dashboards.models import AreaMonth
from tests.factories import CenterFactory
from tests.visits.factories import CenterReportFactory, RecommendationFactory, TripFactory
from visits import services
from visits.models import Recommendation

pytestmark = pytest.mark.django_db
MARCH = date(2024, 3, 1)


@pytest.fixture
def refreshed():
    """The centers told to refresh, in order."""
    told: list[int] = []
    events.subscribe(told.append)
    yield told
    events._listeners.remove(told.append)


@pytest.fixture
def report(officer):
    """A draft report of the officer, with one recommendation, on a center in Mueang Chiang Mai."""
    report = CenterReportFactory(trip=TripFactory(created_by=officer), center=CenterFactory(), author=officer)
    RecommendationFactory(report=report)
    return report


def visits(report) -> tuple[int, int]:
    row = AreaMonth.objects.get(level="center", code=str(report.center_id), month=MARCH)
    return row.visits, row.recommendations_made


def new_recommendation(report, text: str) -> Recommendation:
    return Recommendation(report=report, text=text, addressed_to="committee", due_date=date(2024, 6, 30))


@pytest.fixture
def other_center(db):
    return CenterFactory()


def test_writing_a_draft_refreshes_nothing(officer, report, other_center, refreshed):
    services.report_create(
        user=officer,
        report=CenterReportFactory.build(trip=report.trip, center=other_center, finding_committee="ประชุม"),
        recommendations=[new_recommendation(report, "จัดทำทะเบียน")],
    )
    report.finding_savings = "ออมทุกเดือน"
    services.report_update(
        user=officer,
        report=report,
        recommendations=[new_recommendation(report, "ประชุมทุกเดือน")],
        removed=list(report.recommendations.all()),
    )
    assert refreshed == []
    call_command("verify_rollups", "--quiet")


def test_a_report_entering_or_leaving_a_shared_status_refreshes_its_center(
    officer, provincial, report, refreshed
):
    services.report_submit(user=officer, report=report)
    assert refreshed == [report.center_id]
    assert visits(report) == (1, 1)
    services.report_return(user=provincial, report=report, comment="เพิ่มข้อมูลการออม")
    assert refreshed == [report.center_id] * 2
    assert visits(report) == (0, 0)
    report.refresh_from_db()
    report.strengths = "คณะกรรมการเข้มแข็งมาก"
    services.report_update(user=officer, report=report)  # returned: still not counted
    assert refreshed == [report.center_id] * 2
    services.report_submit(user=officer, report=report)
    services.report_accept(user=provincial, report=report)
    assert refreshed == [report.center_id] * 4
    assert visits(report) == (1, 1)
    call_command("verify_rollups", "--quiet")


def test_a_shared_report_s_recommendations_refresh_and_a_draft_s_deleted_do_not(
    officer, provincial, report, refreshed
):
    draft_recommendation = report.recommendations.get()
    draft_recommendation.delete()
    report.delete()
    assert refreshed == []
    shared = CenterReportFactory(trip=report.trip, center=report.center, author=officer)
    RecommendationFactory(report=shared)
    services.report_submit(user=officer, report=shared)
    recommendation = shared.recommendations.get()
    services.follow_up_add(
        user=officer, recommendation=recommendation, noted_on=date(2024, 4, 2), note="ทำแล้ว", status="done"
    )
    # Loaded afresh (its report not loaded with it): one query tells the center and the report's status.
    Recommendation.objects.get(pk=recommendation.pk).save()
    assert refreshed == [shared.center_id] * 3
    call_command("verify_rollups", "--quiet")
