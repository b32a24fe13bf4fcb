"""The figures' names and what they count (`core/figures.py`), for every page that shows a figure the
dashboards show too: `{% figure_label "registry_balance" %}` and `{% figure_counts "registry_balance" %}`."""

from typing import Any

from django import template

from core.figures import counts, label

register = template.Library()


@register.simple_tag
def figure_label(key: str) -> Any:
    """The one name of a figure (a KeyError for an unknown key: a typo fails the page's test)."""
    return label(key)


@register.simple_tag
def figure_counts(key: str) -> Any:
    """What a figure counts, in one line."""
    return counts(key)
