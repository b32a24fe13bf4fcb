import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES" / "django.po"


def test_thai_is_the_default_even_for_an_english_browser(client, officer):
    client.force_login(officer)
    response = client.get(reverse("core:home"), headers={"accept-language": "en-US,en;q=0.9"})
    body = response.content.decode()
    assert '<html lang="th">' in body
    assert "ออกจากระบบ" in body


def test_language_switch_to_english_and_back(client, officer):
    client.force_login(officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302
    body = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in body
    assert "Log out" in body
    assert "Mueang Chiang Mai" in body  # area names follow the language
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "ออกจากระบบ" in client.get(reverse("core:home")).content.decode()


def test_unknown_language_cookie_falls_back_to_thai(client, officer):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="th">' in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("option", ["--untranslated", "--only-fuzzy"])
def test_every_message_has_a_thai_translation(option):
    """GNU gettext's msgattrib reads the catalogue as msgfmt does (wrapped and plural entries included)."""
    result = subprocess.run(  # noqa: S603
        ["msgattrib", option, "--no-obsolete", str(PO_FILE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    entries = [block for block in result.stdout.split("\n\n") if "msgid" in block]
    # the header entry (empty msgid, marked fuzzy by makemessages) is the only one allowed
    assert [block for block in entries if 'msgid ""\nmsgstr ""\n"Project' not in block] == []


def test_a_nul_character_in_a_request_is_refused_clearly(client, officer):
    client.force_login(officer)
    response = client.get(reverse("centers:center_list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "ไม่อนุญาต" in response.content.decode()
    form = "name=%00&moo=1"
    url = reverse("geography:village_create")
    assert client.post(url, form, content_type="application/x-www-form-urlencoded").status_code == 400
    assert client.post(url, {"subdistrict": "\x00"}).status_code == 400  # multipart
