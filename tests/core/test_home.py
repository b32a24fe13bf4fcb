"""The home page: the counts of centers and villages the user can see, given by centers and geography
through core.sections (core imports neither)."""

import re

from django.urls import reverse
from django.utils.translation import gettext, override

from tests.factories import CenterFactory, VillageFactory


def cards(html: str) -> list[tuple[str, str]]:
    label, count = r'<div class="text-body-secondary">([^<]+)</div>', r'\s*<div class="display-6"[^>]*>(\d+)<'
    return re.findall(label + count, html)


def test_home_counts_the_centers_and_villages_in_the_users_scope(
    client, officer, outsider, provincial, django_assert_max_num_queries
):
    CenterFactory.create_batch(2)  # in Mueang Chiang Mai, the officer's district
    VillageFactory(subdistrict_id="500101")
    client.force_login(officer)
    with django_assert_max_num_queries(
        10
    ):  # the counts, the badge and the to-do list (tests/core/test_home_todo.py)
        html = client.get(reverse("core:home")).content.decode()
    with override("th"):
        centers, villages = gettext("Centers you can see"), gettext("Villages you can see")
    assert cards(html) == [(centers, "2"), (villages, "3")]
    assert 'id="center-count">2<' in html
    client.force_login(outsider)
    html = client.get(reverse("core:home")).content.decode()
    assert cards(html) == [(centers, "0"), (villages, "0")]
