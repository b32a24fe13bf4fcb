"""Light pages on a slow network (bench/weight.py measures the bytes): pages are gzipped, and Chart.js
(about 70 KB compressed) is loaded only by templates that draw a chart."""

import gzip
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.factories import CenterFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CHART_JS = "vendor/chartjs/"


def test_only_templates_that_draw_a_chart_load_chart_js():
    loaders = [path for path in TEMPLATES.rglob("*.html") if CHART_JS in path.read_text(encoding="utf-8")]
    assert loaders, "no template loads Chart.js: the dashboard should"
    for path in loaders:
        assert "<canvas" in path.read_text(encoding="utf-8"), f"{path} loads Chart.js without drawing a chart"
    assert CHART_JS not in (TEMPLATES / "base.html").read_text(encoding="utf-8")


def test_the_officers_home_page_has_no_chart_js_and_the_dashboard_has(client, officer):
    CenterFactory()
    client.force_login(officer)
    assert CHART_JS not in client.get(reverse("core:home")).content.decode()
    assert CHART_JS in client.get(reverse("dashboards:home"), follow=True).content.decode()


def test_pages_are_gzipped_for_a_browser_that_accepts_it(client, officer):
    CenterFactory()
    client.force_login(officer)
    plain = client.get(reverse("centers:center_list"))
    packed = client.get(reverse("centers:center_list"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    html = gzip.decompress(packed.content).decode()
    assert "<main" in html
    assert 'id="nav-notifications"' in html
    assert len(packed.content) < len(plain.content) / 3
