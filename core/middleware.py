from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ThaiFirstLocaleMiddleware:
    """Thai unless the user chose English with the language switch (stored in the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which on many office
    computers says English; Kongtun is Thai first, so only an explicit choice changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNullCharactersMiddleware:
    """Answers 400 to a query string or form with a NUL character: PostgreSQL cannot store or compare one,
    and no person types it. It sits after the middlewares that set the security headers (CSP, X-Frame-Options)
    so that its 400 page (templates/400.html) carries them like every other page.

    Multipart forms are read here only up to INSPECTED_MULTIPART_BYTES, so that a large upload is still
    refused by its view before its body is read; their text fields refuse NUL by themselves.
    """

    INSPECTED_MULTIPART_BYTES = 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = list(request.GET.values())
        if request.method == "POST" and self._inspect_body(request):
            values += list(request.POST.values())
        if any("\x00" in value for value in values):
            message = _("The request contains a character that is not allowed.")
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)

    def _inspect_body(self, request) -> bool:
        if request.content_type == "application/x-www-form-urlencoded":
            return True
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return request.content_type == "multipart/form-data" and length <= self.INSPECTED_MULTIPART_BYTES


class PrivatePagesMiddleware:
    """`Cache-Control: no-store, private` on pages and files with personal data: every page of the
    namespaces in settings.PRIVATE_URL_NAMESPACES (households, their debts, contracts) and every export
    (a URL name ending in "_export"), so that no browser or proxy keeps a copy of names on disk."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.namespaces = set(settings.PRIVATE_URL_NAMESPACES)

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and (
            self.namespaces.intersection(match.namespaces) or (match.url_name or "").endswith("_export")
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


class PasswordChangeRequiredMiddleware:
    """A user whose password was set by an administrator (User.must_change_password) is sent to the
    password change page, whatever they open, until they have chosen their own."""

    ALLOWED = {"accounts:password_change", "accounts:password_change_done", "accounts:logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and getattr(user, "must_change_password", False)):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.ALLOWED:
            return None
        return redirect(reverse("accounts:password_change"))
