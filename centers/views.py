from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.excel import filters_refused, user_area, xlsx_response
from core.scoping import can_create, can_edit_in, get_visible_or_404
from core.sections import sections_for
from core.thai import format_date_be_numeric

from . import services
from .filters import CenterFilter
from .forms import (
    CenterForm,
    CommitteeMemberForm,
    GroupRevenueForm,
    MemberFundForm,
    OccupationalGroupForm,
    RecognitionForm,
)
from .models import Center, CommitteeMember, MemberFund, OccupationalGroup, Recognition
from .selectors import center_history, center_parts

PAGE_SIZE = 25


def _filtered_centers(request: HttpRequest) -> CenterFilter:
    """The centers the user may see, filtered; the pages add their area and managed capital."""
    centers = Center.objects.visible_to(request.user).order_by("name", "pk")
    return CenterFilter(request.GET or None, queryset=centers, user=request.user)


def center_for_edit(request: HttpRequest, pk: int) -> Center:
    """The center if the user may edit it: 404 when it is not theirs to see, 403 when only to read."""
    center = get_visible_or_404(Center.objects.with_area(), request.user, pk=pk)
    if not can_edit_in(request.user, center.district_id):
        raise PermissionDenied
    return center


@login_required
@require_GET
def center_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered_centers(request)
    # Counted without the area and the capital; only the page's rows get them.
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    first = (page.number - 1) * PAGE_SIZE
    centers = list(filterset.qs.with_area().with_managed_capital()[first : first + PAGE_SIZE])
    page.object_list = centers
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "centers/center_list.html",
        {
            "filter": filterset,
            "page": page,
            "query_string": query.urlencode(),
            "can_create": can_create(request.user),
        },
    )


@login_required
@require_GET
def center_export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered_centers(request)
    if filterset.is_bound and not filterset.is_valid():
        return filters_refused(request, filterset)
    centers = filterset.qs.with_area().with_managed_capital()
    headers = [
        _("Center"), _("Village"), _("Moo"), _("Subdistrict"), _("District"), _("Province"),
        _("Village DOPA code"), _("Year founded (BE)"), _("Date founded"), _("Status"),
        _("Managed capital (baht)"), _("Members of the center"),
    ]  # fmt: skip
    rows = (
        [
            center.name,
            center.village.name,
            center.village.moo,
            center.village.subdistrict.name,
            center.village.subdistrict.district.name,
            center.village.subdistrict.district.province.name,
            center.village.code,
            center.founded_year,
            center.founded_on,
            center.get_status_display(),
            center.managed_capital,
            center.members,
        ]
        for center in centers.iterator(chunk_size=2000)
    )
    stamp = format_date_be_numeric(timezone.localdate()).replace("/", "-")
    return xlsx_response(
        filename=f"centers-{stamp}.xlsx", title=_("Centers"), headers=headers, rows=rows,
        area=user_area(request.user),
    )  # fmt: skip


@login_required
@require_GET
def center_detail(request: HttpRequest, pk: int) -> HttpResponse:
    center = get_visible_or_404(Center.objects.with_area(), request.user, pk=pk)
    context = {
        "center": center,
        "can_edit": can_edit_in(request.user, center.district_id),
        "history": center_history(center),
        "today": timezone.localdate(),
        "sections": sections_for("center_page", center, request.user),
        **center_parts(center),
    }
    return render(request, "centers/center_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def center_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    return _center_form(request, Center())


@login_required
@require_http_methods(["GET", "POST"])
def center_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _center_form(request, center_for_edit(request, pk))


def _center_form(request: HttpRequest, center: Center) -> HttpResponse:
    form = CenterForm(request.POST or None, instance=center, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_village = None
        if not data["village"]:
            new_village = (data["subdistrict"], data["new_village_moo"], data["new_village_name"].strip())
        try:
            services.center_save(user=request.user, center=form.instance, new_village=new_village)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Center saved: %(name)s") % {"name": center.name})
            return redirect("centers:center_detail", pk=center.pk)
    return render(request, "centers/center_form.html", {"form": form, "center": center})


# The parts of a center: one form page each for adding and editing.

PARTS: dict[str, dict[str, Any]] = {
    "fund": {
        "model": MemberFund, "form": MemberFundForm,
        "add": gettext_lazy("Add a member fund"), "edit": gettext_lazy("Edit member fund"),
    },
    "committee": {
        "model": CommitteeMember, "form": CommitteeMemberForm,
        "add": gettext_lazy("Add a committee member"), "edit": gettext_lazy("Edit committee member"),
    },
    "group": {
        "model": OccupationalGroup, "form": OccupationalGroupForm,
        "add": gettext_lazy("Add an occupational group"), "edit": gettext_lazy("Edit occupational group"),
    },
    "recognition": {
        "model": Recognition, "form": RecognitionForm,
        "add": gettext_lazy("Add a recognition"), "edit": gettext_lazy("Edit recognition"),
    },
}  # fmt: skip


def _save_part(kind: str, user: Any, form: Any) -> None:
    part = form.instance
    if kind == "fund":
        services.fund_save(user=user, fund=part)
    elif kind == "committee":
        services.committee_member_save(user=user, member=part)
    elif kind == "group":
        services.group_save(
            user=user, group=part, supporting_funds=list(form.cleaned_data["supporting_funds"])
        )
    else:
        services.recognition_save(user=user, recognition=part)


@login_required
@require_http_methods(["GET", "POST"])
def part_form(request: HttpRequest, pk: int, kind: str, part_pk: int | None = None) -> HttpResponse:
    center = center_for_edit(request, pk)
    spec = PARTS[kind]
    part = (
        get_object_or_404(spec["model"], pk=part_pk, center=center)
        if part_pk
        else spec["model"](center=center)
    )
    form_kwargs = {} if kind == "fund" else {"center": center}
    form = spec["form"](request.POST or None, instance=part, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            _save_part(kind, request.user, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("centers:center_detail", pk=center.pk)
    title = spec["edit"] if part_pk else spec["add"]
    return render(request, "centers/part_form.html", {"form": form, "center": center, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def revenue_form(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_for_edit(request, pk)
    form = GroupRevenueForm(request.POST or None, center=center)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.revenue_save(
                user=request.user,
                group=data["group"],
                fiscal_year=data["fiscal_year"],
                revenue=data["revenue"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("centers:center_detail", pk=center.pk)
    title = _("Record an occupational group's yearly revenue")
    return render(request, "centers/part_form.html", {"form": form, "center": center, "title": title})
