"""Reads of geography for pages of other apps."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Village


def home_villages_card(obj: None, user: Any) -> dict[str, Any]:
    """The home page's count of the villages the user can see (see core.sections)."""
    return {
        "template": "core/includes/home_card.html",
        "position": 20,
        "label": _("Villages you can see"),
        "count": Village.objects.visible_to(user).count(),
        "url": reverse("geography:village_list"),
    }
