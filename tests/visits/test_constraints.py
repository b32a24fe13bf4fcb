"""The visits models' own checks (clean())."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext


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
