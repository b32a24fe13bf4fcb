"""Template helpers of the visits pages; `{% load visits_tags %}`.

`{% center_recommendations center %}` shows a center's open recommendations (for the center page).
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from visits import services

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "accepted": "text-bg-success",
    "returned": "text-bg-warning",
    "open": "text-bg-warning",
    "in_progress": "text-bg-info",
    "done": "text-bg-success",
    "dropped": "text-bg-secondary",
}

STEP_LABELS = {
    services.REASON_CREATED: _("Written"),
    services.REASON_EDITED: _("Edited"),
    services.REASON_SUBMITTED: _("Submitted for review"),
    services.REASON_ACCEPTED: _("Accepted"),
    services.REASON_RETURNED: _("Returned for changes"),
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def step_label(reason: str) -> str:
    return str(STEP_LABELS.get(reason, reason))
