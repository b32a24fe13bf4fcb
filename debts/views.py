"""The household list and its export, the debt registry pages, and the Excel import of a center's registry.

These pages live under /households/ with the household pages; they are in this app because they combine
households with their debts, and debts sits above households.

District officers and administrators see households by name; provincial and department staff see one row
per center with counts and totals (PDPA: no names above the district). Every export of names is logged.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.excel import XLSX_CONTENT_TYPE, applied_filters, filters_refused, user_area, xlsx_response
from core.scoping import can_create
from core.thai import format_date_be_numeric
from households.models import Household, HouseholdStatus, PersonalDataLog, may_see_personal_data
from households.selectors import household_for_personal_data
from households.services import personal_data_log_write

from . import importer, services
from .filters import HouseholdFilter, centers_for_filter
from .forms import DebtBalanceForm, DebtLineForm, ImportForm
from .models import DebtLine, ImportJob, Sector
from .selectors import attach_centers, center_rows, household_rows, list_totals

PAGE_SIZE = 25
# Room for the multipart envelope and the other fields around the file.
UPLOAD_OVERHEAD = 64 * 1024


def _filtered(request: HttpRequest, show_names: bool) -> HouseholdFilter:
    households = (
        Household.objects.personal_data_visible_to(request.user)
        if show_names
        else Household.objects.visible_to(request.user)
    )
    return HouseholdFilter(request.GET or None, queryset=households, user=request.user, show_names=show_names)


def _stamp() -> str:
    return format_date_be_numeric(timezone.localdate()).replace("/", "-")


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    show_names = may_see_personal_data(request.user)
    filterset = _filtered(request, show_names)
    households = filterset.qs
    if show_names:
        rows = household_rows(households).order_by("center__name", "village__moo", "house_number", "pk")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(center_rows(households), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = attach_centers(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query_string": query.urlencode(),
        "show_names": show_names,
        "totals": list_totals(households),
        "sectors": Sector,
        "statuses": HouseholdStatus,
        "can_create": can_create(request.user),
    }
    return render(request, "debts/household_list.html", context)


@login_required
@require_GET
def household_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel: households by name (logged) or, above the district, totals per center."""
    show_names = may_see_personal_data(request.user)
    filterset = _filtered(request, show_names)
    if filterset.is_bound and not filterset.is_valid():
        return filters_refused(request, filterset)
    sector_headers = [_("%(sector)s debt (baht)") % {"sector": sector.label} for sector in Sector]
    # The total is named as the dashboards name it (dashboards/catalogue.py: registry_balance).
    registry_header = _("%(figure)s (baht)") % {"figure": _("Registry balances")}
    if not show_names:
        headers = [
            _("Center"), _("District"), _("Province"), _("Households"),
            *[status.label for status in HouseholdStatus], *sector_headers, registry_header,
        ]  # fmt: skip
        rows = [
            [
                row["center_obj"].name,
                row["center_obj"].village.subdistrict.district.name,
                row["center_obj"].village.subdistrict.district.province.name,
                row["n_households"],
                *[row[f"n_{status}"] for status in HouseholdStatus.values],
                *[row[f"debt_{sector}"] for sector in Sector.values],
                row["debt_total"],
            ]
            for row in attach_centers(list(center_rows(filterset.qs)))
        ]
        return xlsx_response(
            filename=f"households-by-center-{_stamp()}.xlsx",
            title=_("Households"),
            headers=headers,
            rows=rows,
            area=user_area(request.user),
        )

    households = household_rows(filterset.qs).order_by("center__name", "village__moo", "house_number", "pk")
    headers = [
        _("Center"), _("House number"), _("Village"), _("Moo"), _("Head of household"),
        _("National ID (masked)"),
        _("Phone"), _("Members"), _("Status"), _("Status since"), _("Surveyed on"), *sector_headers,
        registry_header, _("Lines above the legal rate cap"),
    ]  # fmt: skip
    rows = []
    districts = set()
    for household in households.iterator(chunk_size=2000):
        debts = [getattr(household, f"debt_{sector}") for sector in Sector.values]
        rows.append(
            [
                household.center.name, household.house_number, household.village.name, household.village.moo,
                household.head_name, household.national_id_masked, household.phone, household.members,
                household.get_status_display(), household.status_since, household.surveyed_on, *debts,
                household.debt_total, household.flagged_lines,
            ]
        )  # fmt: skip
        districts.add(household.village.code[:4])
    personal_data_log_write(
        user=request.user,
        action=PersonalDataLog.Action.EXPORT,
        what=_("Excel export of the household list (filters: %(filters)s)")
        % {"filters": applied_filters(filterset) or "—"},
        row_count=len(rows),
        district_id=districts.pop() if len(districts) == 1 else None,
    )
    return xlsx_response(
        filename=f"households-{_stamp()}.xlsx",
        title=_("Households"),
        headers=headers,
        rows=rows,
        area=user_area(request.user),
    )


@login_required
@require_GET
def center_options(request: HttpRequest) -> HttpResponse:
    """The <option> list of the center filter for a district (the area picker refills the select)."""
    options = centers_for_filter(request.user, request.GET.get("district", "").strip() or None)
    return render(request, "debts/includes/center_options.html", {"options": options})


# --- debt lines and balances -------------------------------------------------------------------------------


def _line_of(household: Household, pk: int) -> DebtLine:
    return get_object_or_404(DebtLine, pk=pk, household=household)


@login_required
@require_http_methods(["GET", "POST"])
def debt_line_form(request: HttpRequest, household_pk: int, pk: int | None = None) -> HttpResponse:
    household = household_for_personal_data(request.user, household_pk)
    line = _line_of(household, pk) if pk else DebtLine(household=household)
    form = DebtLineForm(request.POST or None, instance=line, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if pk:
                services.debt_line_update(user=request.user, line=form.instance)
            else:
                services.debt_line_add(
                    user=request.user,
                    line=form.instance,
                    balance=data["balance"],
                    as_of=data["as_of"],
                    confirm_implausible=data["confirm_large_balance"],
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Debt saved: %(creditor)s") % {"creditor": form.instance})
            return redirect("households:household_detail", pk=household.pk)
    title = _("Edit debt") if pk else _("Add a debt")
    return render(request, "debts/debtline_form.html", {"form": form, "household": household, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def balance_form(request: HttpRequest, household_pk: int, pk: int) -> HttpResponse:
    household = household_for_personal_data(request.user, household_pk)
    line = _line_of(household, pk)
    form = DebtBalanceForm(request.POST or None, line=line)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.debt_line_record_balance(
                user=request.user,
                line=line,
                as_of=data["as_of"],
                balance=data["balance"],
                note=data["note"],
                written_off=data["written_off"],
                confirm_implausible=data["confirm_large_balance"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Balance recorded."))
            return redirect("households:household_detail", pk=household.pk)
    balances = list(line.balances.select_related("recorded_by"))
    context = {"form": form, "household": household, "line": line, "balances": balances}
    return render(request, "debts/debtbalance_form.html", context)


# --- import ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    response = HttpResponse(importer.build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="household-debt-registry-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a filled template. The rows are checked and saved in this request; the page polls the job."""
    if not can_create(request.user):
        raise PermissionDenied
    limit = settings.HOUSEHOLD_IMPORT_MAX_BYTES
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > limit + UPLOAD_OVERHEAD:
        # Refuse before reading the body: the file is never received, let alone opened.
        form = ImportForm(initial={"token": uuid.uuid4()}, user=request.user)
        refused = importer.MESSAGES["file.too_large"] % {"limit": limit // (1024 * 1024)}
        return render(request, "debts/import_form.html", {"form": form, "refused": refused}, status=413)
    form = ImportForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"token": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data["token"]
        if ImportJob.objects.filter(token=token).exists():  # the same form sent twice
            token = uuid.uuid4()
        job = ImportJob.objects.create(
            token=token, center=data["center"], created_by=request.user, file_name=data["file"].name[:200]
        )
        importer.registry_import(
            user=request.user,
            center=data["center"],
            upload=data["file"],
            job=job,
            privacy_notice_version=data["privacy_notice_version"],
            confirm_large_balances=data["confirm_large_balances"],
        )
        return redirect("debts:import_job", token=job.token)
    return render(request, "debts/import_form.html", {"form": form})


def _job_for(request: HttpRequest, token: uuid.UUID) -> ImportJob | None:
    """The user's own import job (each person sees only the imports they uploaded)."""
    return ImportJob.objects.filter(token=token, created_by=request.user).select_related("center").first()


@login_required
@require_GET
def import_job(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    job = _job_for(request, token)
    if job is None:
        raise Http404
    errors = [
        {
            **error,
            "letter": importer.column_letter(error.get("column")),
            "label": importer.column_label(error.get("column")),
            "message": importer.error_message(error),
        }
        for error in job.errors
    ]
    return render(request, "debts/import_job.html", {"job": job, "errors": errors})


@login_required
@require_GET
@never_cache
def import_progress(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The progress bar, polled while the upload is checked and saved; 286 tells htmx to stop polling.

    Polling starts before the upload request has committed its job, so an unknown token shows a waiting
    bar; another user's job answers 404 like everywhere else."""
    job = _job_for(request, token)
    if job is None and ImportJob.objects.filter(token=token).exists():
        raise Http404
    response = render(request, "debts/includes/import_progress.html", {"job": job})
    if job is not None and job.is_finished:
        response.status_code = 286
    return response
