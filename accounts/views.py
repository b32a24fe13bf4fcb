from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from .models import Notification
from .notifications import mark_read, unread_count
from .throttling import account_is_locked


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The django-axes lockout page (AXES_LOCKOUT_CALLABLE): what is locked and for how long."""
    account = account_is_locked(request, credentials)
    context = {
        "account_locked": account,
        "failure_limit": settings.LOGIN_FAILURES_PER_ACCOUNT
        if account
        else settings.LOGIN_FAILURES_PER_ADDRESS,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, in the site's page; choosing a new password ends a temporary one."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        form.user.must_change_password = False
        return super().form_valid(form)


NOTIFICATIONS_SHOWN = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's latest notifications, the new ones marked; opening the page marks them read."""
    shown = list(Notification.objects.filter(recipient=request.user)[:NOTIFICATIONS_SHOWN])
    marked = mark_read(request.user, [notification.pk for notification in shown if not notification.read_at])
    # The badge of this very page: the count read with the user (accounts.backends) less what was just read.
    request.user.unread_notifications_count = max(unread_count(request.user) - marked, 0)
    return render(request, "accounts/notification_list.html", {"notifications": shown})
