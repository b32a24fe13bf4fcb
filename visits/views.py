"""Pages of the visits app. Every object is fetched through `get_visible_or_404`: someone else's trip,
report, recommendation or photo answers 404 exactly like one that does not exist; a visible object the
user may not change answers 403; an action refused in the current state shows a message."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centers.models import Center
from core.scoping import get_visible_or_404

from . import selectors, services
from .access import (
    can_add_report,
    can_edit_loaded_report,
    can_edit_trip,
    can_follow_up,
    can_record_trip,
    can_review_loaded_report,
    report_centers_left,
)
from .filters import RecommendationFilter, ReportFilter
from .forms import (
    CenterReportForm,
    FollowUpForm,
    ItineraryStopFormSet,
    NewsPublishForm,
    PhotoForm,
    RecommendationFormSet,
    ReviewForm,
    TripForm,
    TripMemberFormSet,
    stop_center_choices,
)
from .models import (
    SHARED_STATUSES,
    CenterReport,
    FollowUp,
    NewsVersion,
    Recommendation,
    ReportPhoto,
    ReportStatus,
    Trip,
)
from .news import news_post, news_zip

PAGE_SIZE = 50


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields when it names them, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _message_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _trip(request: HttpRequest, pk: int) -> Trip:
    return get_visible_or_404(Trip.objects.with_area(), request.user, pk=pk)


def _report(request: HttpRequest, pk: int) -> CenterReport:
    return get_visible_or_404(CenterReport.objects.with_related(), request.user, pk=pk)


def _page(request: HttpRequest, queryset: Any):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- trips -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def trip_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.trips_for(request.user))
    context = {
        "page": page,
        "can_record": can_record_trip(request.user),
        "awaiting_review": selectors.report_awaiting_review_count(request.user),
    }
    return render(request, "visits/trip_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def trip_create(request: HttpRequest) -> HttpResponse:
    if not can_record_trip(request.user):
        raise PermissionDenied
    return _trip_form(request, Trip())


@login_required
@require_http_methods(["GET", "POST"])
def trip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = _trip(request, pk)
    if not can_edit_trip(request.user, trip):
        raise PermissionDenied
    return _trip_form(request, trip)


def _trip_form(request: HttpRequest, trip: Trip) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = TripForm(data, instance=trip, user=user)
    centers = stop_center_choices(user, form.province_id())
    members = TripMemberFormSet(data, instance=trip, prefix="members", form_kwargs={"user": user})
    stops = ItineraryStopFormSet(data, instance=trip, prefix="stops", form_kwargs={"centers": centers})
    if data is not None:
        trip_ok = form.is_valid()  # first: the rows below compare their dates with the trip's
        members_ok, stops_ok = members.is_valid(), stops.is_valid()
        if trip_ok and members_ok and stops_ok:
            try:
                saved = services.trip_save(
                    user=user,
                    trip=form.save(commit=False),
                    members=_rows(members),
                    stops=_rows(stops),
                    removed=[*members.deleted_objects, *stops.deleted_objects],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Trip saved: %(trip)s") % {"trip": saved})
                return redirect("visits:trip_detail", pk=saved.pk)
    context = {"form": form, "members": members, "stops": stops, "trip": trip}
    return render(request, "visits/trip_form.html", context)


@login_required
@require_GET
def stop_center_options(request: HttpRequest) -> HttpResponse:
    """The <option> list of an itinerary stop's center for the province chosen in the trip form."""
    province = request.GET.get("province", "").strip()
    centers = stop_center_choices(request.user, province) if province.isdigit() else Center.objects.none()
    return render(request, "visits/includes/stop_center_options.html", {"centers": centers})


def _rows(formset: Any) -> list[Any]:
    formset.save(commit=False)
    return formset.changed_objects_to_save


@login_required
@require_GET
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = _trip(request, pk)
    can_edit = can_edit_trip(request.user, trip)
    can_add = can_add_report(request.user, trip, trip_editor=can_edit)
    context = {
        "trip": trip,
        **selectors.trip_detail(request.user, trip),
        "can_edit": can_edit,
        "can_add_report": can_add,
        # the centers without a report yet get a link to write it (only shown to who may add a report)
        "reported_centers": selectors.reported_centers(trip) if can_add else set(),
    }
    return render(request, "visits/trip_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def trip_news(request: HttpRequest, pk: int) -> HttpResponse:
    """The trip's news post: one text whoever opens it (visits.news, from every submitted or accepted report
    of the trip); who may edit the trip publishes it, each edit a new version kept with the others."""
    trip = _trip(request, pk)
    lang = "en" if request.GET.get("lang") == "en" else "th"
    versions = selectors.news_versions(trip)
    shown = _news_version(versions, request.GET.get("version", ""))
    can_publish = can_edit_trip(request.user, trip)
    if request.method == "POST" and not can_publish:
        raise PermissionDenied
    generated = news_post(trip, lang=lang)
    form = None
    if can_publish and lang == "th":
        photos = selectors.news_photos(trip)
        data = request.POST if request.method == "POST" else None
        fresh = request.GET.get("fresh") or shown is None
        initial = {
            "text": generated if fresh else shown.text,
            "photos": list(photos) if fresh else list(shown.photos.all()),
        }
        form = NewsPublishForm(data, initial=initial, photos=photos)
        if data is not None and form.is_valid():
            try:
                version = services.news_publish(
                    user=request.user,
                    trip=trip,
                    text=form.cleaned_data["text"],
                    photos=form.cleaned_data["photos"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Published as version %(number)s.") % {"number": version.number})
                return redirect("visits:trip_news", pk=trip.pk)
    context = {
        "trip": trip,
        "text": shown.text if shown is not None and lang == "th" else generated,
        "generated": generated,
        "lang": lang,
        # the reports of the trip, whoever wrote them, that are not submitted yet
        "left_out": trip.reports.exclude(status__in=SHARED_STATUSES).count(),
        "versions": versions,
        "shown": shown,
        "form": form,
    }
    return render(request, "visits/trip_news.html", context)


def _news_version(versions: list[NewsVersion], number: str) -> NewsVersion | None:
    """The version asked for (`?version=`), else the latest; None before the first publication."""
    if number.isdigit():
        for version in versions:
            if version.number == int(number):
                return version
        raise Http404(_("No such version."))
    return versions[0] if versions else None


@login_required
@require_GET
def trip_news_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The post's text and photos as a zip: the version shown (the latest published, or `?version=`), else
    the text written from the reports with all their photos."""
    trip = _trip(request, pk)
    shown = _news_version(selectors.news_versions(trip), request.GET.get("version", ""))
    if shown is None:
        text, photos = news_post(trip), list(selectors.news_photos(trip))
    else:
        text, photos = shown.text, list(shown.photos.all())
    archive = news_zip(text, photos)
    name = f"news-trip-{trip.pk}" + (f"-v{shown.number}" if shown else "") + ".zip"
    response = FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


# --- reports ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    filterset = ReportFilter(request.GET or None, queryset=selectors.reports_for(request.user))
    status = (filterset.form.cleaned_data.get("status") if filterset.is_valid() else None) or None
    page = _page(request, filterset.qs)
    context = {
        "page": page,
        "filter": filterset,
        "status": status,
        "statuses": ReportStatus.choices,
        "awaiting_review": selectors.report_awaiting_review_count(request.user),
        "query": "",
    }
    return render(request, "visits/report_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, trip_pk: int) -> HttpResponse:
    trip = _trip(request, trip_pk)
    if request.method == "POST":
        sent = _sent_before(request, trip)
        if sent is not None:  # answered as its first save was
            return _report_saved(request, sent)
    centers = report_centers_left(request.user, trip)
    if not centers.exists():
        raise PermissionDenied
    initial = _report_initial(trip, request.GET.get("stop", ""), request.GET.get("center", ""))
    return _report_form(request, trip, CenterReport(trip=trip), initial, centers=centers)


def _sent_before(request: HttpRequest, trip: Trip) -> CenterReport | None:
    """The report this same new-report form already saved (its token, its center, its trip), sent again by a
    double tap or by the phone's offline queue. Looked up before the form: the center has its report now, so
    the form would refuse it. A token used for another center reaches visits.services.report_create, which
    refuses it (and which finds the report too when two sends come at the same moment)."""
    center = request.POST.get("center", "")
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return None
    if not center.isdigit():
        return None
    reports = CenterReport.objects.visible_to(request.user)
    return reports.filter(token=token, trip=trip, center_id=int(center)).first()


def _report_initial(trip: Trip, stop_pk: str, center_pk: str) -> dict[str, Any]:
    """A report started from an itinerary stop (`?stop=`, or `?center=`: the first stop at that center)
    takes the stop's center and date; a one-day trip gives its day."""
    initial: dict[str, Any] = {}
    if trip.start_date == trip.end_date:
        initial["visit_date"] = trip.start_date
    stop = None
    if stop_pk.isdigit():
        stop = trip.stops.filter(pk=int(stop_pk)).first()
    elif center_pk.isdigit():
        initial["center"] = int(center_pk)
        stop = trip.stops.filter(center_id=int(center_pk)).first()  # in the itinerary's order
    if stop is not None:
        initial["visit_date"] = stop.date
        if stop.center_id:
            initial["center"] = stop.center_id
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can_edit_loaded_report(request.user, report):
        raise PermissionDenied
    if not report.is_editable_state:  # an editor, who may not change it now (can_change_report)
        if request.method == "POST":
            # Someone submitted it meanwhile: show the typed text back, with the reason, and save nothing.
            return _report_form(request, report.trip, report, {}, locked=True)
        messages.error(request, services.locked_message(report))
        return redirect("visits:report_detail", pk=report.pk)
    return _report_form(request, report.trip, report, {})


def _report_form(
    request: HttpRequest,
    trip: Trip,
    report: CenterReport,
    initial: dict,
    *,
    locked: bool = False,
    centers: Any = None,
) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = CenterReportForm(data, instance=report, user=user, trip=trip, initial=initial, centers=centers)
    recommendations = RecommendationFormSet(data, instance=report, prefix="recommendations")
    if data is not None:
        report_ok = form.is_valid()  # first: the recommendations compare their due dates with the visit
        recommendations_ok = recommendations.is_valid()
        if locked:
            form.add_error(None, services.locked_message(report))
        elif report_ok and recommendations_ok:
            is_new = report.pk is None
            try:
                kwargs = {
                    "user": user,
                    "report": form.save(commit=False),
                    "registries": form.cleaned_data["registries_kept"],
                    "recommendations": _rows(recommendations),
                }
                if is_new:
                    saved = services.report_create(**kwargs, token=form.cleaned_data["token"])
                else:
                    saved = services.report_update(**kwargs, removed=recommendations.deleted_objects)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _report_saved(request, saved)
    context = {
        "form": form,
        "recommendations": recommendations,
        "trip": trip,
        "report": report,
        "draft_key": _draft_key(user, trip, report if report.pk else None),
        "locked": locked,
    }
    return render(request, "visits/report_form.html", context)


def _report_saved(request: HttpRequest, report: CenterReport) -> HttpResponse:
    status = report.get_status_display().lower()
    messages.success(request, _("Report saved as %(status)s.") % {"status": status})
    return redirect(reverse("visits:report_detail", args=[report.pk]) + "?saved=1")


def _draft_key(user: Any, trip: Trip, report: CenterReport | None) -> str:
    """The browser-storage key under which visits-draft.js keeps what was typed in a report form."""
    target = f"report-{report.pk}" if report else f"report-new-trip-{trip.pk}"
    return f"kongtun:visits:user-{user.pk}:{target}"


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    user = request.user
    is_editor = can_edit_loaded_report(user, report)
    context = {
        "report": report,
        "trip": report.trip,
        **selectors.report_detail(report),
        "can_change": report.is_editable_state and is_editor,  # can_change_report
        "is_editor": is_editor,
        "can_review": report.status == ReportStatus.SUBMITTED and can_review_loaded_report(user, report),
        "photo_form": PhotoForm(),
        "review_form": ReviewForm(),
        "cleared_drafts": (
            [_draft_key(user, report.trip, report), _draft_key(user, report.trip, None)]
            if request.GET.get("saved")
            else []
        ),
    }
    return render(request, "visits/report_detail.html", context)


@login_required
@require_GET
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        "report": report,
        "trip": report.trip,
        **selectors.report_detail(report),
        **selectors.report_memo(report),
    }
    return render(request, "visits/report_print.html", context)


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _report(request, pk)
    user = request.user
    try:
        if action == "submit":
            services.report_submit(user=user, report=report)
            messages.success(
                request, _("The report was submitted for review. It is locked until the reviewer returns it.")
            )
        else:
            form = ReviewForm(request.POST)
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            if action == "accept":
                services.report_accept(user=user, report=report, comment=comment)
                messages.success(request, _("The report was accepted."))
            else:
                services.report_return(user=user, report=report, comment=comment)
                messages.success(request, _("The report was returned to its author with your comment."))
    except ValidationError as exc:
        _message_errors(request, exc)
    return redirect("visits:report_detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "accept")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "return")


# --- photos ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can_edit_loaded_report(request.user, report):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.photo_add(
                user=request.user,
                report=report,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                keep_location=form.cleaned_data["keep_location"],
            )
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("Photo added."))
    return redirect(reverse("visits:report_detail", args=[report.pk]) + "#photos")


def _photo(request: HttpRequest, pk: int) -> ReportPhoto:
    visible = CenterReport.objects.visible_to(request.user)
    photo = ReportPhoto.objects.filter(report__in=visible, pk=pk).select_related("report").first()
    if photo is None:
        raise Http404(_("No such photo."))
    return photo


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk)
    report_pk = photo.report_id
    try:
        services.photo_delete(user=request.user, photo=photo)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Photo removed."))
    return redirect(reverse("visits:report_detail", args=[report_pk]) + "#photos")


def _open_or_404(field_file):
    """The stored file, open; a file missing from MEDIA_ROOT (a lost or partly restored folder) is a 404."""
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """A photo, served only to those who can see its report (files are not published under MEDIA_URL)."""
    photo = _photo(request, pk)
    if variant == "display":
        response = FileResponse(_open_or_404(photo.display), content_type="image/jpeg")
    elif variant == "original":
        response = FileResponse(
            _open_or_404(photo.image),
            content_type=photo.content_type,
            as_attachment=True,
            filename=f"photo-{photo.pk}{photo.image.name[photo.image.name.rfind('.') :]}",
        )
    else:
        raise Http404
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- recommendations -------------------------------------------------------------------------------------


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    filterset = RecommendationFilter(
        request.GET or None, queryset=selectors.recommendations_for(request.user)
    )
    overdue_only = bool(filterset.is_valid() and filterset.form.cleaned_data["overdue"])
    page = _page(request, filterset.qs)
    context = {"page": page, "filter": filterset, "overdue_only": overdue_only}
    return render(request, "visits/recommendation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_visible_or_404(Recommendation.objects.with_related(), request.user, pk=pk)
    allowed = can_follow_up(request.user, recommendation)
    form = None
    if allowed:
        data = request.POST if request.method == "POST" else None
        form = FollowUpForm(data, request.FILES or None, recommendation=recommendation)
        if data is not None and form.is_valid():
            try:
                services.follow_up_add(
                    user=request.user,
                    recommendation=recommendation,
                    noted_on=form.cleaned_data["date"],
                    note=form.cleaned_data["note"],
                    status=form.cleaned_data["status"],
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Follow-up note saved."))
                return redirect("visits:recommendation_detail", pk=recommendation.pk)
    elif request.method == "POST":
        raise PermissionDenied
    follow_ups = recommendation.follow_ups.select_related("author")
    context = {"recommendation": recommendation, "form": form, "follow_ups": follow_ups}
    return render(request, "visits/recommendation_detail.html", context)


@login_required
@require_GET
def follow_up_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Recommendation.objects.visible_to(request.user)
    follow_up = FollowUp.objects.filter(recommendation__in=visible, pk=pk).exclude(evidence="").first()
    if follow_up is None:
        raise Http404(_("No such file."))
    response = FileResponse(
        _open_or_404(follow_up.evidence), as_attachment=True, filename=follow_up.evidence_name or "evidence"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
