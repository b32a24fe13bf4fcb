"""Template helpers of contracts for pages outside the app (the main menu in base.html)."""

from typing import Any

from django import template

from households.models import may_see_personal_data

register = template.Library()


@register.filter
def sees_contracts(user: Any) -> bool:
    """Whether the contract list can show the user anything: contracts show names, so district officers
    and admins only; provincial and department staff would get an empty list (they read center totals)."""
    return may_see_personal_data(user)
