from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.scoping import can_create
from core.sections import sections_for
from core.todo import todo_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page: the user's to-do list (core.todo: what apps higher up register for page "todo", each
    item linking to the page that resolves it), then the counts they register for page "home" (centers and
    geography count what the user can see), each in the order of their `position`."""
    cards = sorted(sections_for("home", None, request.user), key=lambda card: card.get("position", 0))
    context = {
        "todo": todo_sections(request.user),
        "cards": cards,
        "can_create": can_create(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "core/home.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a form sent after its page went stale (a session that ended, a page kept
    open for a day) answers the site's own Thai 403 page, saying how to send it again without retyping."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
