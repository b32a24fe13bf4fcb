"""`{% fixed_url %}` and `{% static_file %}`: `{% url %}` without arguments and `{% static %}`, worked out
once per process instead of on every page (base.html has a dozen of them).

Neither depends on the request beyond the script prefix and the URLconf, which are part of the key; the
memory is emptied when a test changes the settings.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_urls: dict[tuple[str, str | None, str], str] = {}
_statics: dict[str, str] = {}


@register.simple_tag
def fixed_url(viewname: str) -> str:
    """`{% url viewname %}` for a URL that takes no arguments."""
    key = (get_script_prefix(), get_urlconf(), viewname)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(viewname)
    return url


@register.simple_tag
def static_file(path: str) -> str:
    """`{% static path %}`."""
    url = _statics.get(path)
    if url is None:
        url = _statics[path] = static(path)
    return url


@receiver(setting_changed)
def _forget(**kwargs: object) -> None:
    _urls.clear()
    _statics.clear()
