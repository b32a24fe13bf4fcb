"""What base.html needs from accounts, given to every template (registered in settings' TEMPLATES)."""

from functools import partial
from typing import Any

from django.http import HttpRequest

from .notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: the badge's count, one query, run only when a template reads it (a callable:
    base.html reads it once, with `{% with %}`)."""
    return {"unread_notifications": partial(unread_count, request.user)}
