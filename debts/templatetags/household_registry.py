"""`{% load household_registry %}{% center_households center %}` draws the households of a center on its page.

For the center page (centers cannot import from debts, which sits above it): the tag runs the selector with
the request's user, so names appear only for those allowed to see them.
"""

from typing import Any

from django import template

from debts.selectors import center_households_summary

register = template.Library()


@register.inclusion_tag("households/includes/center_households.html", takes_context=True)
def center_households(context: dict[str, Any], center: Any) -> dict[str, Any]:
    return center_households_summary(center=center, user=context["request"].user)
