"""The service worker at /sw.js, the web manifest and the record of a conflict's choice (offline/views.py)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from offline.models import ConflictChoice
from offline.views import SHELL_STATIC, page_patterns

STATIC = Path(settings.BASE_DIR) / "static"


def test_service_worker_is_served_at_the_root_with_its_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"  # revalidated on each update check, never stale
    # the site's content security policy applies to the worker too (no inline script, same origin)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_service_worker_config_names_the_shell_and_the_offline_pages(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});\n", body).group(1))
    assert "/static/js/offline.js" in config["shell"]
    assert config["queueScript"] == "/static/js/offline-queue.js"
    assert config["maxAgeDays"] == settings.OFFLINE_PAGES_MAX_AGE_DAYS
    assert config["loginPath"] == reverse("accounts:login")
    pages = [re.compile(p) for p in config["pages"]]
    kept = ["/contracts/collection/12/", "/contracts/7/repayments/new/", "/visits/trips/3/reports/new/"]
    kept.append("/visits/reports/5/edit/")
    for path in kept:
        assert any(p.match(path) for p in pages), path
    for path in ["/contracts/7/", "/households/3/", "/contracts/collection/12/x/", "/visits/reports/5/"]:
        assert not any(p.match(path) for p in pages), path
    assert config["conflictPages"] == [page_patterns()[3]]


def test_service_worker_version_follows_the_static_files(client, settings):
    first = client.get("/sw.js").content
    settings.OFFLINE_PAGES_MAX_AGE_DAYS = 3
    assert client.get("/sw.js").content != first  # another config, another worker (new caches)


def test_every_shell_file_exists():
    missing = [name for name in SHELL_STATIC if not (STATIC / name).is_file()]
    assert not missing


def test_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["short_name"] == "กองทุน"  # Thai first
    assert data["display"] == "standalone"
    assert data["theme_color"] == settings.OFFLINE_THEME_COLOR
    for icon in data["icons"]:
        assert (STATIC / icon["src"].removeprefix("/static/")).is_file()
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}


@pytest.mark.django_db
def test_personal_pages_still_say_no_store(client, officer):
    """The worker keeps its own copies; the browser's HTTP cache stays off for personal pages."""
    client.force_login(officer)
    response = client.get(reverse("contracts:contract_list"))
    assert "no-store" in response["Cache-Control"]


def _choice(client, path, kept="mine"):
    body = {"path": path, "kept": kept, "phone": {"problems": "mine"}, "server": {"problems": "theirs"}}
    return client.post(reverse("offline:conflict_choice"), json.dumps(body), content_type="application/json")


def test_conflict_choice_is_recorded(client, officer, report):
    client.force_login(officer)
    response = _choice(client, reverse("visits:report_edit", args=[report.pk]))
    assert response.status_code == 200
    choice = ConflictChoice.objects.get()
    assert (choice.user, choice.kept, choice.phone_version, choice.server_version) == (
        officer,
        "mine",
        {"problems": "mine"},
        {"problems": "theirs"},
    )


def test_conflict_choice_of_an_outsider_is_404(client, outsider, report):
    client.force_login(outsider)
    assert _choice(client, reverse("visits:report_edit", args=[report.pk])).status_code == 404
    assert not ConflictChoice.objects.exists()


@pytest.mark.parametrize("path", ["/contracts/collection/1/", "/nowhere/"])
def test_conflict_choice_only_for_a_report(client, officer, report, path):
    client.force_login(officer)
    assert _choice(client, path).status_code == 404


def test_conflict_choice_refuses_bad_input(client, officer, report):
    client.force_login(officer)
    assert _choice(client, reverse("visits:report_edit", args=[report.pk]), kept="both").status_code == 400
    response = client.post(reverse("offline:conflict_choice"), "{", content_type="application/json")
    assert response.status_code == 400


def test_conflict_choice_needs_a_login(client, report):
    response = _choice(client, reverse("visits:report_edit", args=[report.pk]))
    assert response.status_code == 302


def test_form_pages_carry_the_offline_hooks(client, officer, report):
    client.force_login(officer)
    html = client.get(reverse("visits:report_edit", args=[report.pk])).content.decode()
    assert "data-offline " in html
    assert 'data-offline-method="GET"' in html
    version = report.history.first().history_id
    assert f'data-offline-version="{version}"' in html
    assert 'id="figures-taken"' in html
    assert 'id="offline-bar"' in html
    assert "js/offline.js" in html


def _config(client) -> dict:
    body = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"const CONFIG = (\{.*?\});\n", body).group(1))


def test_worker_answers_static_files_from_its_cache_only_under_hashed_names(client, monkeypatch):
    plain = _config(client)
    assert plain["hashedStatic"] is False  # the tests' plain storage: the network answers first
    # production's manifest storage (whitenoise) names each file by its content
    monkeypatch.setattr("offline.views.static", lambda name: "/static/" + name.replace(".js", ".0a1b2c.js"))
    hashed = _config(client)
    assert hashed["hashedStatic"] is True
    assert "/static/js/offline.0a1b2c.js" in hashed["shell"]
    assert hashed["version"] != plain["version"]  # new names, a new worker with new caches


def test_conflict_choices_are_read_only_in_the_admin(client, superuser, officer, report):
    choice = ConflictChoice.objects.create(
        user=officer, path="/visits/reports/1/edit/", kept="server", phone_version={}, server_version={}
    )
    client.force_login(superuser)
    assert client.get(reverse("admin:offline_conflictchoice_changelist")).status_code == 200
    assert client.get(reverse("admin:offline_conflictchoice_change", args=[choice.pk])).status_code == 200
    assert client.post(reverse("admin:offline_conflictchoice_delete", args=[choice.pk])).status_code == 403
    officer.is_staff = True
    officer.save()
    client.force_login(officer)  # staff of a district: not theirs to read
    assert client.get(reverse("admin:offline_conflictchoice_changelist")).status_code == 403
