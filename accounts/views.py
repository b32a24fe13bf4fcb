from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

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
