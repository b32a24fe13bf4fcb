"""What base.html needs from contracts, given to every template (registered in settings' TEMPLATES), so that
the main menu, a template of core, loads nothing of an app above it."""

from functools import partial
from typing import Any

from django.http import HttpRequest

from households.models import may_see_personal_data


def menu(request: HttpRequest) -> dict[str, Any]:
    """`sees_contracts`: whether the contract list can show the user anything. Contracts show names, so
    district officers and admins only; provincial and department staff would get an empty list (they read
    center totals). A callable, which the template calls when it reads it: a page without the menu loads
    no user for it."""
    return {"sees_contracts": partial(may_see_personal_data, request.user)}
