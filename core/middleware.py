from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
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
    and no person types it.

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
            return HttpResponseBadRequest(_("The request contains a character that is not allowed."))
        return self.get_response(request)

    def _inspect_body(self, request) -> bool:
        if request.content_type == "application/x-www-form-urlencoded":
            return True
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return request.content_type == "multipart/form-data" and length <= self.INSPECTED_MULTIPART_BYTES
