"""The visits models check their constraints in one query (visits.models.common.ChecksInOneQuery), with the
same errors as Django's one query per constraint."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from visits.models import CenterReport, Recommendation, ReportStatus, Trip

from .factories import RecommendationFactory


def errors_of(check):
    try:
        with translation.override("en"):
            check()
    except ValidationError as error:
        return error.message_dict
    return {}


def django_errors(instance, exclude=None):
    return errors_of(lambda: models.Model.validate_constraints(instance, exclude=exclude))


def test_a_report_breaking_several_checks_gets_the_errors_django_gives(report):
    report.status = ReportStatus.RETURNED  # without a comment, and never submitted
    report.snapshot_savings = -1
    errors = errors_of(report.validate_constraints)
    assert errors == django_errors(report)
    assert len(errors["__all__"]) == 3
    assert "Say why the report is returned." in errors["__all__"]


def test_a_valid_report_passes_in_one_query(report):
    with CaptureQueriesContext(connection) as queries:
        report.validate_constraints()
    checks = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(checks) == 2  # the unique (trip, center) and every check constraint at once


def test_fields_left_out_skip_their_checks_and_the_unique_constraint_still_counts(report, trip, center):
    other = CenterReport(trip=trip, center=center, visit_date=report.visit_date, author=report.author)
    other.status = "nonsense"
    exclude = {"status"}
    errors = errors_of(lambda: other.validate_constraints(exclude=exclude))
    assert errors == django_errors(other, exclude=exclude)
    assert errors["__all__"] == ["This trip already has a report for this center."]


def test_recommendations_and_trips(report, trip):
    recommendation = RecommendationFactory(report=report)
    recommendation.text = ""
    recommendation.addressed_to = "nobody"
    assert errors_of(recommendation.validate_constraints) == django_errors(recommendation)
    assert len(django_errors(recommendation)["__all__"]) == 2
    trip.end_date = trip.start_date.replace(year=trip.start_date.year - 1)
    assert errors_of(trip.validate_constraints) == django_errors(trip)
    assert django_errors(trip)
    assert isinstance(recommendation, Recommendation)
    assert isinstance(trip, Trip)


def test_the_province_of_the_center_from_its_loaded_area_or_a_query(report, lampang_center):
    """A report's center outside the trip's province is refused, whether its area was read with it or not;
    read with it, clean() asks no query for it."""
    from centers.models import Center

    own = report.center
    for loaded in (True, False):
        queryset = Center.objects.with_area() if loaded else Center.objects.all()
        for center, error in ((own, False), (lampang_center, True)):
            report.center = queryset.get(pk=center.pk)
            with CaptureQueriesContext(connection) as queries:
                try:
                    report.clean()
                    refused = False
                except ValidationError as exc:
                    refused = "center" in exc.message_dict
            assert refused == error, (loaded, center.name)
            if not error:  # (the error message reads the trip's province)
                assert len(queries) == (0 if loaded else 1), (loaded, center.name)
    report.center_id = lampang_center.pk  # a new id: the loaded center no longer counts
    with pytest.raises(ValidationError):
        report.clean()
