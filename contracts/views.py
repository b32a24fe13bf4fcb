"""Contract pages. They show the household's name, so they follow the personal data rule: district officers
of the district and administrators only; everyone else gets 404, as if the contract did not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.thai import baht_text
from households.models import Household

from . import services
from .forms import ContractForm, SignForm
from .models import Contract
from .selectors import contract_for_personal_data, contract_schedule, may_edit, preview_schedule

PAGE_SIZE = 25


@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = (
        Contract.objects.personal_data_visible_to(request.user)
        .select_related("household", "center")
        .prefetch_related("tranches")
        .order_by("center__name", "-drawn_up_on", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Contract.Status.values:
        contracts = contracts.filter(status=status)
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = f"status={status}" if status in Contract.Status.values else ""
    context = {
        "page": page,
        "statuses": Contract.Status.choices,
        "status": status,
        "query_string": query_string,
    }
    return render(request, "contracts/contract_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    """Draw up a contract: the debts it pays off and the funds that lend; "Preview" shows the schedule."""
    household = get_object_or_404(
        Household.objects.editable_by(request.user).select_related("center", "village"), pk=household_pk
    )
    form = ContractForm(request.POST or None, household=household)
    table = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tranches = form.tranche_terms()
        if "preview" in request.POST:
            if tranches:
                table = preview_schedule(
                    center_id=household.center_id,
                    tranches=tranches,
                    months=data["term_months"],
                    first_due=data["first_due_on"],
                )
            else:
                form.add_error(None, _("At least one fund must lend to the contract."))
        else:
            try:
                contract = services.contract_draw_up(
                    user=request.user,
                    household=household,
                    term_months=data["term_months"],
                    first_due_on=data["first_due_on"],
                    tranches=tranches,
                    payoffs=form.payoff_terms(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Contract %(number)s drawn up.") % {"number": contract.number})
                return redirect("contracts:contract_detail", pk=contract.pk)
    context = {"form": form, "household": household, "table": table}
    return render(request, "contracts/contract_form.html", context)


def _add_errors(form: ContractForm, exc: ValidationError) -> None:
    """The service's errors on the form's fields where it has them, above the form otherwise."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_for_personal_data(request.user, pk)
    context = {
        "contract": contract,
        "table": contract_schedule(contract),
        "can_edit": may_edit(request.user, contract),
    }
    return render(request, "contracts/contract_detail.html", context)


@login_required
@require_GET
def contract_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract in Thai with the amount in words and the schedule, printed from the browser."""
    contract = contract_for_personal_data(request.user, pk)
    table = contract_schedule(contract)
    context = {"contract": contract, "table": table, "principal_words": baht_text(table.principal)}
    return render(request, "contracts/contract_print.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a draft: the creditors' receipts, then the contract is active and the household enrolled."""
    contract = contract_for_personal_data(request.user, pk)
    if not may_edit(request.user, contract):
        raise Http404
    if not contract.is_draft:
        messages.info(request, _("This contract is already signed."))
        return redirect("contracts:contract_detail", pk=contract.pk)
    form = SignForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_sign(
                user=request.user,
                contract=contract,
                signed_on=form.cleaned_data["signed_on"],
                receipts=form.receipts(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Contract %(number)s is signed.") % {"number": contract.number})
            return redirect("contracts:contract_detail", pk=contract.pk)
    return render(request, "contracts/contract_sign.html", {"form": form, "contract": contract})
