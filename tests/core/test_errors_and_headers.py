"""Thai error pages with the security headers; personal data never cached; a file missing on disk: 404."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from tests.conftest import module_user
from tests.test_url_sweep import FORM, LIST, ROUTES, World, names, url_of

# The URL sweep's world and the people, built once for the module (tests/conftest.py, `module_db`): what a
# test writes is rolled back before the next; a file a test removes from disk is put back after it.
officer, provincial = map(module_user, ("officer", "provincial"))


@pytest.fixture(scope="module")
def world(officer, django_db_blocker):
    with django_db_blocker.unblock():
        return World(author=officer)


@contextmanager
def removed(path: str):
    """The file at `path` missing from disk for the block, back afterwards for the module's next tests."""
    content = Path(path).read_bytes()
    os.remove(path)
    try:
        yield
    finally:
        Path(path).write_bytes(content)


def assert_security_headers(response):
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_nul_character_answers_the_thai_400_page_with_the_security_headers(db, client, officer):
    client.force_login(officer)
    response = client.get(reverse("debts:household_list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "มีอักขระที่ไม่อนุญาต" in response.content.decode()
    assert 'id="error-400"' in response.content.decode()
    assert_security_headers(response)


def test_an_unknown_address_answers_the_thai_404_page_with_the_security_headers(db, client, officer):
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าหรือไฟล์นี้" in response.content.decode()
    assert_security_headers(response)


def test_the_404_page_is_in_english_for_who_chose_english(db, client, officer, settings):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "This page or file was not found" in client.get("/no-such-page/").content.decode()


def test_a_read_only_user_gets_the_thai_403_page(db, client, world, provincial):
    client.force_login(provincial)
    response = client.get(reverse("centers:center_edit", args=[world.center.pk]))
    assert response.status_code == 403
    assert "คุณไม่มีสิทธิ์ทำรายการนี้" in response.content.decode()


def test_the_500_page_renders_without_a_request_in_thai_and_english():
    with translation.override("th"):
        assert "เกิดข้อผิดพลาดที่เซิร์ฟเวอร์" in get_template("500.html").render()
    with translation.override("en"):
        assert "Something went wrong on the server" in get_template("500.html").render()
    with translation.override("th"):
        assert "คำขอนี้" in get_template("400.html").render()


def _broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", _broken_view)]


@pytest.mark.urls(__name__)
def test_a_server_error_answers_the_thai_500_page_with_the_security_headers(db):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาดที่เซิร์ฟเวอร์" in response.content.decode()
    assert_security_headers(response)


@pytest.mark.parametrize("name", ["visits:photo_file", "visits:follow_up_evidence"])
def test_a_file_missing_from_media_root_is_a_thai_404_not_a_500(db, client, world, officer, name):
    stored = world.photo.display if name == "visits:photo_file" else world.follow_up.evidence
    client.force_login(officer)
    with removed(stored.path):
        response = client.get(url_of(name, world))
    assert response.status_code == 404
    assert "ไม่พบหน้าหรือไฟล์นี้" in response.content.decode()


def test_the_original_photo_missing_is_a_404(db, client, world, officer):
    client.force_login(officer)
    url = reverse("visits:photo_file", kwargs={"pk": world.photo.pk, "variant": "original"})
    with removed(world.photo.image.path):
        assert client.get(url).status_code == 404


PRIVATE = [
    name
    for name in names(LIST, FORM)
    if name.split(":")[0] in {"households", "debts", "contracts"} or name.endswith("_export")
]


def test_the_private_routes_are_the_household_contract_and_export_pages():
    assert {"households:household_detail", "contracts:contract_detail", "debts:household_export"} <= set(
        PRIVATE
    )
    assert "centers:center_export" in PRIVATE


@pytest.mark.parametrize("name", PRIVATE)
def test_pages_with_personal_data_are_never_stored(db, client, world, officer, name):
    client.force_login(officer)
    response = client.get(url_of(name, world), ROUTES[name].query_for(world))
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, name


def test_other_pages_keep_their_caching(db, client, world, officer):
    client.force_login(officer)
    response = client.get(reverse("centers:center_list"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_form_sent_with_a_stale_csrf_token_answers_the_thai_403_page(db, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("debts:household_list"), {"q": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="error-403-csrf"' in body
    assert "ไม่ได้บันทึก" in body
    assert_security_headers(response)
