"""The admin in Thai and in the site's font."""

import re

from django.urls import reverse
from django.utils import translation

from core.locale_overrides import ADMIN_STRINGS


def test_none_available_reads_nothing_to_choose_not_busy():
    with translation.override("th"):
        assert translation.gettext("None available") == "ไม่มีรายการให้เลือก"


def test_every_admin_string_of_the_overrides_has_its_thai():
    with translation.override("th"):
        untranslated = [msgid for msgid in ADMIN_STRINGS if translation.gettext(msgid) == msgid]
    assert not untranslated


def test_admin_pages_use_the_sites_sarabun_font_without_inline_style(client, superuser):
    client.force_login(superuser)
    for url in (reverse("admin:index"), reverse("admin:accounts_user_add")):
        response = client.get(url)
        body = response.content.decode()
        assert "vendor/sarabun/sarabun.css" in body
        assert "css/admin.css" in body
        assert "<style" not in body
        assert not re.search(r"<[^>]+\sstyle=", body)
    client.logout()
    assert "vendor/sarabun/sarabun.css" in client.get(reverse("admin:login")).content.decode()
