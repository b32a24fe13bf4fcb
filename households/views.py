"""Household pages: register and edit a household, its page, its status, its budget, revealing its ID.
(The household list, its export and the Excel import are built on debts: debts/views.py.)

Every page answers 404 unless the user may see the household's personal data (district officers of its
district, and administrators): provincial and department staff read totals on the list instead.
No national ID travels in a URL: IDs are typed into POST forms and looked up through their keyed hash.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fields import MAX_INTEGER_PK
from core.scoping import can_create
from core.sections import sections_for

from . import national_id, services
from .forms import BudgetStatementForm, FindByNationalIdForm, HouseholdForm, StatusChangeForm
from .models import BudgetStatement, Household
from .selectors import centers_for_registration, household_for_personal_data


def _detail_context(request: HttpRequest, household: Household) -> dict[str, Any]:
    budgets = list(household.budgets.all()[:6])
    return {
        "household": household,
        # Whoever sees a household's personal data may edit it (see household_for_personal_data).
        "can_edit": True,
        "groups": list(household.occupational_groups.all()),
        "budget": budgets[0] if budgets else None,
        "older_budgets": budgets[1:],
        "status_changes": list(household.status_changes.select_related("recorded_by")),
        "sections": sections_for("household_page", household, request.user),
        "status_form": StatusChangeForm(household=household) if household.next_statuses else None,
    }


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_personal_data(request.user, pk)
    return render(request, "households/household_detail.html", _detail_context(request, household))


@login_required
@require_POST
@never_cache
def household_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full national ID, once, in the response to a POST; the reveal is logged."""
    household = household_for_personal_data(request.user, pk)
    revealed = services.household_reveal_national_id(user=request.user, household=household)
    if request.headers.get("HX-Request"):
        return render(
            request, "households/includes/national_id.html", {"household": household, "revealed": revealed}
        )
    context = {**_detail_context(request, household), "revealed": revealed}
    return render(request, "households/household_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("national_id")
def household_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    centers = centers_for_registration(request.user)
    center_id = request.POST.get("center") or request.GET.get("center")
    if center_id and not (center_id.isdigit() and int(center_id) <= MAX_INTEGER_PK):
        raise Http404
    if not center_id and len(centers[:2]) == 1:
        center_id = centers[0].pk
    if not center_id:
        return render(request, "households/household_choose_center.html", {"centers": centers})
    center = get_object_or_404(centers, pk=center_id)
    form = HouseholdForm(request.POST or None, instance=Household(center=center), center=center)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_register(
                user=request.user,
                household=form.instance,
                national_id=form.cleaned_data["national_id"],
                occupational_groups=form.cleaned_data.get("occupational_groups") or [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Household registered: %(name)s") % {"name": household.head_name})
            return redirect("households:household_detail", pk=household.pk)
    return render(
        request, "households/household_form.html", {"form": form, "center": center, "household": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("national_id")
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_personal_data(request.user, pk)
    form = HouseholdForm(request.POST or None, instance=household, center=household.center)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                user=request.user,
                household=form.instance,
                national_id=form.cleaned_data["national_id"] or None,
                occupational_groups=form.cleaned_data.get("occupational_groups") or [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("households:household_detail", pk=household.pk)
    context = {"form": form, "center": household.center, "household": household}
    return render(request, "households/household_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_status(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_personal_data(request.user, pk)
    if not household.next_statuses:
        messages.info(request, _("This household has reached the end of the process: its status is final."))
        return redirect("households:household_detail", pk=household.pk)
    form = StatusChangeForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.TRANSITION_SERVICES[data["to_status"]](
                user=request.user, household=household, on=data["changed_on"], note=data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Status changed: %(status)s") % {"status": household.get_status_display()}
            )
            return redirect("households:household_detail", pk=household.pk)
    return render(request, "households/status_form.html", {"form": form, "household": household})


@login_required
@require_http_methods(["GET", "POST"])
def budget_form(request: HttpRequest, pk: int, budget_pk: int | None = None) -> HttpResponse:
    household = household_for_personal_data(request.user, pk)
    statement = (
        get_object_or_404(BudgetStatement, pk=budget_pk, household=household)
        if budget_pk
        else BudgetStatement(household=household)
    )
    form = BudgetStatementForm(request.POST or None, instance=statement, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_statement_save(user=request.user, statement=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Budget statement saved."))
            return redirect("households:household_detail", pk=household.pk)
    return render(request, "households/budget_form.html", {"form": form, "household": household})


@login_required
@require_POST
@sensitive_post_parameters("national_id")
def household_find(request: HttpRequest) -> HttpResponse:
    """Find a household by national ID among those whose personal data the user may see."""
    form = FindByNationalIdForm(request.POST)
    found: list[Household] = []
    if form.is_valid():
        digest = national_id.keyed_hash(form.cleaned_data["national_id"])
        found = list(
            Household.objects.personal_data_visible_to(request.user)
            .filter(national_id_hash=digest)
            .select_related("center", "village")
        )
        if len(found) == 1:
            return redirect("households:household_detail", pk=found[0].pk)
    return render(request, "households/household_find.html", {"form": form, "found": found})
