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
    and no person types it. (Multipart uploads are left to the forms, whose fields refuse NUL too.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = list(request.GET.values())
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            values += list(request.POST.values())
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest(_("The request contains a character that is not allowed."))
        return self.get_response(request)
