"""The checks on one loaded object (visits.access, core.scoping.can_edit_in) restate the querysets' rules in
Python to spare a query: each answers exactly as its queryset, for every office, author and report state."""

import itertools

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from centers.models import Center
from core.scoping import can_edit_in
from tests.factories import LAMPANG, UserFactory
from visits import access
from visits.models import CenterReport, ReportStatus, TripLevel

from .factories import CenterReportFactory, TripFactory


def _states(reviewer):
    now = timezone.now()
    submitted = {"submitted_at": now}
    return {
        ReportStatus.DRAFT: {"status": ReportStatus.DRAFT},
        ReportStatus.SUBMITTED: {"status": ReportStatus.SUBMITTED, **submitted},
        ReportStatus.RETURNED: {"status": ReportStatus.RETURNED, **submitted, "review_comment": "แก้"},
        ReportStatus.ACCEPTED: {"status": ReportStatus.ACCEPTED, **submitted, "reviewed_by": reviewer},
    }


def test_loaded_report_checks_answer_as_their_querysets(
    center, sansai_center, lampang_center, officer, outsider, provincial, other_province, national, superuser
):
    lampang_officer = UserFactory(username="officer_lp", district_id="5201")
    head = UserFactory(username="head_cm", provincial=True, reviews_reports=True)
    reviewer = UserFactory(username="reviewer", national=True, reviews_reports=True)
    users = [
        head,
        reviewer,
        officer,
        outsider,
        lampang_officer,
        provincial,
        other_province,
        national,
        superuser,
        UserFactory(username="gone_admin", admin=True, is_active=False),
        UserFactory(username="gone_officer", is_active=False),
        UserFactory(username="gone_province", provincial=True, is_active=False),
        AnonymousUser(),
        None,
    ]
    authors = [officer, outsider, lampang_officer, provincial, other_province, national, superuser, reviewer]
    centers = [center, sansai_center, lampang_center]
    states = _states(provincial)
    reports = []
    levels = TripLevel.values
    for center_, author, status, level in itertools.product(centers, authors, ReportStatus.values, levels):
        district = center_.village.subdistrict.district
        trip = TripFactory(level=level, district_id=district.code, province_id=district.province_id)
        reports.append(CenterReportFactory(trip=trip, center=center_, author=author, **states[status]))
    assert {r.center.village.subdistrict.district.province_id for r in reports} == {"50", LAMPANG}

    disagreements = []
    loaded_reports = CenterReport.objects.with_related().filter(pk__in=[r.pk for r in reports])
    # What the querysets answer, read once per user for all the reports (a query per report and user made
    # this test 12,000 queries): the query checks below are these querysets, filtered on one report.
    editable, reviewable, centers_editable = ({}, {}, {})
    for i, user in enumerate(users):
        editable[i] = set(CenterReport.objects.editable_by(user).values_list("pk", flat=True))
        reviewable[i] = set(CenterReport.objects.reviewable_by(user).values_list("pk", flat=True))
        centers_editable[i] = (
            set(Center.objects.editable_by(user).values_list("pk", flat=True)) if user is not None else set()
        )
    # ... and the query checks themselves answer as their querysets: for every user, on one report of each
    # center, status and trip level (the checks filter the queryset on the report's pk, whatever the report).
    sample_reports = {(r.center_id, r.status, r.trip.level): r for r in loaded_reports}.values()
    for (i, user), report in itertools.product(enumerate(users), sample_reports):
        answers = {
            "can_edit_report_content": (access.can_edit_report_content(user, report), editable[i]),
            "can_review_report": (access.can_review_report(user, report), reviewable[i]),
            "can_change_report": (
                access.can_change_report(user, report),
                editable[i] if report.is_editable_state else set(),
            ),
        }
        for check, (function, queryset) in answers.items():
            if function != (report.pk in queryset):
                disagreements.append(
                    f"{check}: {user} on {report.center} by {report.author} ({report.status})"
                )
    assert not disagreements, "\n".join(disagreements[:20])
    for (i, user), report in itertools.product(enumerate(users), loaded_reports):
        answers = {
            "can_edit_loaded_report": (access.can_edit_loaded_report(user, report), report.pk in editable[i]),
            "can_review_loaded_report": (
                access.can_review_loaded_report(user, report),
                report.pk in reviewable[i],
            ),
            "can_change (state)": (
                report.is_editable_state and access.can_edit_loaded_report(user, report),
                report.is_editable_state and report.pk in editable[i],
            ),
            "can_edit_in": (
                can_edit_in(user, report.center.village.subdistrict.district_id),
                report.center_id in centers_editable[i],
            ),
        }
        for check, (python, query) in answers.items():
            if python != query:
                who = f"{user} on {report.center} by {report.author} ({report.status})"
                disagreements.append(f"{check}: {who}")
    assert not disagreements, "\n".join(disagreements[:20])
    # the matrix is not trivial: each check answers yes somewhere and no somewhere
    submitted = loaded_reports.filter(center=center, author=officer, status=ReportStatus.SUBMITTED)
    sample = submitted.get(trip__level=TripLevel.DISTRICT)
    assert access.can_edit_loaded_report(officer, sample)
    assert not access.can_change_report(officer, sample)
    assert access.can_review_loaded_report(provincial, sample)
    assert not access.can_review_loaded_report(other_province, sample)
    assert not access.can_review_loaded_report(reviewer, sample)
    department_trip = submitted.get(trip__level=TripLevel.DEPARTMENT)
    assert access.can_review_loaded_report(reviewer, department_trip)
    assert not access.can_review_loaded_report(head, department_trip)
    assert not access.can_review_loaded_report(provincial, department_trip)
