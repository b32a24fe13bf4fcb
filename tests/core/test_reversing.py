import pytest
from django.urls import reverse

from core.reversing import url_maker


@pytest.mark.parametrize("pk", [1, 7, 1001, 918_273_645])
def test_url_maker_gives_what_reverse_gives(pk):
    assert url_maker("centers:center_detail")(pk) == reverse("centers:center_detail", args=[pk])
    assert url_maker("households:household_detail")(pk) == reverse("households:household_detail", args=[pk])


def test_url_maker_reverses_what_is_not_an_int():
    assert url_maker("centers:center_detail")("12") == reverse("centers:center_detail", args=["12"])
