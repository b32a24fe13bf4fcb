"""Offline capture (issue 18): the service worker served from /sw.js (scope /), the web manifest, and the
record of what an officer chose when a save kept on the phone met a record changed on the server.

The worker itself is templates/offline/sw.js; the page side is static/js/offline.js. The worker caches the
app shell and static files (under their hashed names, read from the static files storage with `static()`),
and the pages listed in OFFLINE_PAGES that the officer opened; everything else goes to the network."""

import hashlib
import json
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.scoping import get_visible_or_404
from visits.access import can_edit_loaded_report
from visits.models import CenterReport

from .models import ConflictChoice

# The pages kept for offline use: the collection sheet, the repayment form and the visit report forms. Each
# view already answers 404 to a user who may not edit there, so a page the worker could cache is the
# officer's own work.
OFFLINE_PAGES = [
    ("contracts:collection_sheet", ["center_pk"]),
    ("contracts:repayment_create", ["pk"]),
    ("visits:report_create", ["trip_pk"]),
    ("visits:report_edit", ["pk"]),
]
CONFLICT_PAGES = {"visits:report_edit"}  # where a save checks that the record has not changed meanwhile

# The app shell: what every cached page loads. Fonts and anything else under STATIC_URL are cached when
# first loaded.
SHELL_STATIC = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/sarabun/sarabun.css",
    "vendor/sarabun/sarabun-thai-400-normal.woff2",
    "vendor/sarabun/sarabun-thai-600-normal.woff2",
    "vendor/sarabun/sarabun-latin-400-normal.woff2",
    "vendor/sarabun/sarabun-latin-600-normal.woff2",
    "css/kongtun.css",
    "css/visits.css",
    "css/be-datepicker.css",
    "js/area-picker.js",
    "js/be-datepicker.js",
    "js/contracts-forms.js",
    "js/visits-forms.js",
    "js/visits-draft.js",
    "js/offline.js",
    "js/offline-queue.js",
    "icons/kongtun-192.png",
]


def page_patterns() -> list[str]:
    """The offline pages as JavaScript regular expressions on a URL's path, derived from the URL
    configuration (each integer argument becomes \\d+)."""
    patterns = []
    for name, arguments in OFFLINE_PAGES:
        marker = 987654321
        path = reverse(name, kwargs=dict.fromkeys(arguments, marker))
        patterns.append("^" + re.escape(path).replace(str(marker), r"\d+") + "$")
    return patterns


def worker_config() -> dict[str, Any]:
    shell = [static(name) for name in SHELL_STATIC]
    config = {
        "shell": shell,
        "queueScript": static("js/offline-queue.js"),
        "staticPrefix": static(""),
        # production's manifest storage gives hashed names (never reused): the worker answers from its cache
        "hashedStatic": static("js/offline.js") != static("") + "js/offline.js",
        "pages": page_patterns(),
        "conflictPages": [
            pattern
            for pattern, (name, _arguments) in zip(page_patterns(), OFFLINE_PAGES, strict=True)
            if name in CONFLICT_PAGES
        ],
        "loginPath": reverse(settings.LOGIN_URL),
        "logoutPath": reverse("accounts:logout"),
        "maxAgeDays": settings.OFFLINE_PAGES_MAX_AGE_DAYS,
        "offlineTitle": _("No network"),
        "offlineText": _(
            "This page was not opened on this phone while there was a network, so it cannot be shown now. "
            "The collection sheets, repayment forms and visit report forms you opened can."
        ),
    }
    # A new list of static files (a deployment with new hashed names) is a new worker, with new caches.
    config["version"] = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
    return config


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that its scope is the whole site. Public (it holds no
    personal data); revalidated on every update check (no-cache), the content security policy applies."""
    body = render_to_string("offline/sw.js", {"config": json.dumps(worker_config(), ensure_ascii=False)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web manifest: Kongtun installs on a phone's home screen and opens without the browser's bars."""
    data = {
        "name": f"{_('Kongtun')} · {_('Community fund management centers')}",
        "short_name": _("Kongtun"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": settings.OFFLINE_THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("icons/kongtun-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/kongtun-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/kongtun-maskable-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "maskable",
            },
            {
                "src": static("icons/kongtun-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@login_required
@require_POST
def conflict_choice(request: HttpRequest) -> HttpResponse:
    """Records which version an officer kept when a save from the phone met a report changed on the server
    (static/js/offline.js sends both versions as JSON). Only for a report the user may edit; 404 otherwise."""
    try:
        data = json.loads(request.body)
        path, kept = str(data["path"]), str(data["kept"])
        phone, server = dict(data["phone"]), dict(data["server"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest()
    if kept not in ConflictChoice.Kept.values:
        return HttpResponseBadRequest()
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise Http404 from exc
    if match.view_name not in CONFLICT_PAGES:
        raise Http404
    report = get_visible_or_404(CenterReport.objects.with_related(), request.user, pk=match.kwargs["pk"])
    if not can_edit_loaded_report(request.user, report):
        raise PermissionDenied
    choice = ConflictChoice.objects.create(
        user=request.user, path=path, kept=kept, phone_version=phone, server_version=server
    )
    return JsonResponse({"id": choice.pk})
