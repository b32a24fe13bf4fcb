"""Contract pages. They show the household's name, so they follow the personal data rule: district officers
of the district and administrators only; everyone else gets 404, as if the contract did not exist."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centers.models import Center
from core.excel import Sheet, workbook_response
from core.thai import baht_text, fiscal_year
from households.models import Household, PersonalDataLog
from households.services import personal_data_log_write

from . import receipts, services
from .arrears import center_portfolio, contract_ledgers
from .calculations import add_months, money
from .filters import ContractFilter
from .forms import (
    CancelDraftForm,
    CollectionForm,
    ContractForm,
    FundBookForm,
    RepaymentForm,
    RestructureForm,
    ReversalForm,
    SavingsForm,
    SavingsRuleForm,
    SignForm,
    guarantor_formset,
)
from .models import Contract, SavingsRule, receipt_number
from .selectors import (
    affordability,
    center_chair,
    contract_for_personal_data,
    contract_position,
    contract_schedule,
    fund_book,
    fund_ledgers,
    minimum_savings_stock,
    open_draft,
    preview_schedule,
    restructured_into,
    savings_balance,
)

PAGE_SIZE = 25


@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = (
        Contract.objects.personal_data_visible_to(request.user)
        .select_related("household", "center")
        .with_principal()
        .order_by("center__name", "-drawn_up_on", "-pk")
    )
    filterset = ContractFilter(request.GET or None, queryset=contracts)
    status = filterset.form.cleaned_data.get("status", "") if filterset.is_valid() else ""
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = f"status={status}" if status else ""
    centers = (
        Center.objects.editable_by(request.user)
        .filter(contracts__status=Contract.Status.ACTIVE)
        .only("name")  # the links show the name only
        .distinct()
        .order_by("name", "pk")[:50]
    )
    context = {
        "page": page,
        "filter": filterset,
        "statuses": Contract.Status.choices,
        "status": status,
        "query_string": query_string,
        "centers": centers,
    }
    return render(request, "contracts/contract_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    """Draw up a contract: the debts it pays off and the funds that lend; "Preview" shows the schedule."""
    household = get_object_or_404(
        Household.objects.editable_by(request.user).select_related("center", "village"), pk=household_pk
    )
    draft = open_draft(household)
    if draft is not None:  # one draft per household: sign or cancel it first
        context = {"household": household, "open_draft": draft}
        return render(request, "contracts/contract_form.html", context, status=409 if request.POST else 200)
    form = ContractForm(request.POST or None, household=household)
    # the guarantor rows are optional: a form sent without them (an older page, a script) has none
    guarantors = guarantor_formset(request.POST if "guarantor-TOTAL_FORMS" in request.POST else None)
    guarantors_valid = not guarantors.is_bound or guarantors.is_valid()
    table = fits = None
    if request.method == "POST" and form.is_valid() and guarantors_valid:
        data = form.cleaned_data
        tranches = form.tranche_terms()
        guarantor_forms = (
            [f for f in guarantors if f.has_changed() and f.cleaned_data] if guarantors.is_bound else []
        )
        if "preview" in request.POST:
            if tranches:
                table, fits = _preview(form, household)
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
                    guarantors=[f.terms() for f in guarantor_forms],
                    affordability_reason=data["affordability_reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc, rows={"guarantor": guarantor_forms})
                if getattr(exc, "code", None) == "unaffordable" or "affordability_reason" in form.errors:
                    table, fits = _preview(form, household)  # the figures behind the refusal
            else:
                messages.success(request, _("Contract %(number)s drawn up.") % {"number": contract.number})
                return redirect("contracts:contract_detail", pk=contract.pk)
    context = {
        "form": form,
        "guarantors": guarantors,
        "household": household,
        "table": table,
        "affordability": fits,
    }
    return render(request, "contracts/contract_form.html", context)


def _preview(form: ContractForm, household: Household) -> tuple[Any, Any]:
    """The schedule of the terms in a valid draw-up form, and what it asks a month against the budget."""
    data = form.cleaned_data
    table = preview_schedule(
        center_id=household.center_id,
        tranches=form.tranche_terms(),
        months=data["term_months"],
        first_due=data["first_due_on"],
    )
    fits = affordability(
        household,
        instalment=max((line[4] for line in table.lines), default=Decimal("0.00")),
        saving=table.rows[0].saving if table.rows else Decimal("0.00"),
        paid_off=[terms.debt_line.pk for terms in form.payoff_terms()],
    )
    return table, fits


def _add_errors(
    form: forms.Form, exc: ValidationError, *, rows: dict[str, list[forms.Form]] | None = None
) -> None:
    """The service's errors on the form's fields where it has them, above the form otherwise. `rows`: the
    forms of a formset by the prefix the service names them with (`<prefix>-<index>-<field>`, the index
    counting the rows given to the service)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        prefix, _dash, rest = field.partition("-")
        index, _dash, name = rest.partition("-")
        row_forms = (rows or {}).get(prefix, [])
        if index.isdigit() and int(index) < len(row_forms) and name in row_forms[int(index)].fields:
            row_forms[int(index)].add_error(name, errors)
        else:
            form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_for_personal_data(request.user, pk, payoffs=False)  # read below, more cheaply
    ledgers = contract_ledgers(contract, timezone.localdate())
    context = {
        "contract": contract,
        "payoffs": list(contract.payoffs.select_related("debt_line")),
        "guarantors": list(contract.guarantors.all()),
        "table": contract_schedule(contract),
        "can_edit": contract.user_may_edit,
        "position": ledgers.position,
        "repayments": _repayment_rows(contract, may_reverse=contract.user_may_edit),
        "savings": ledgers.savings,
        "savings_balance": ledgers.savings_balance,
        "restructured_into": restructured_into(contract),
        "standing": ledgers.standing,
        "compliance": ledgers.compliance,
        "funds": fund_ledgers(contract, repaid=ledgers.repaid) if contract.signed_on else [],
        "this_month": timezone.localdate(),
    }
    return render(request, "contracts/contract_detail.html", context)


def _repayment_rows(contract: Contract, *, may_reverse: bool) -> list[tuple[Any, ...]]:
    """The contract's repayments in order, as its page lists them: (id, entry number, paid on, amount,
    whether it is a reversal, the entry it reverses, note, whether it closed the contract, the address of its
    reversal form ("" when it takes none: a reversal, a payment already reversed, or no right to), the
    interest and the principal it paid (summed over the funds), its receipt's number (a reversal: the number
    it cancels) and the address of its receipt). One query."""
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
    rows = list(
        contract.repayments.annotate(
            line_interest=Coalesce(Sum("lines__interest"), zero),
            line_principal=Coalesce(Sum("lines__principal"), zero),
        ).values_list(
            "pk",
            "receipt_number",
            "paid_on",
            "amount",
            "reverses_id",
            "reverses__receipt_number",
            "closes_contract",
            "note",
            "line_interest",
            "line_principal",
            "receipt__fiscal_year",
            "receipt__sequence",
            "reverses__receipt__fiscal_year",
            "reverses__receipt__sequence",
        )
    )
    reversed_ids = {row[4] for row in rows if row[4]}
    # One reverse() for all rows: the address with a placeholder id, split around it (the repayment's id is
    # the last number in the address, so the rightmost placeholder is the one to fill in).
    head, _placeholder, tail = reverse("contracts:repayment_reverse", args=[contract.pk, 0]).rpartition("/0/")
    r_head, _placeholder, r_tail = reverse("contracts:repayment_receipt", args=[contract.pk, 0]).rpartition(
        "/0/"
    )
    result = []
    for (
        pk,
        receipt,
        paid_on,
        amount,
        reverses_id,
        reverses_receipt,
        closes,
        note,
        interest,
        principal,
        year,
        sequence,
        r_year,
        r_sequence,
    ) in rows:
        number_year, number_seq = (r_year, r_sequence) if reverses_id else (year, sequence)
        result.append(
            (
                str(pk),
                receipt,
                paid_on,
                amount,
                reverses_id is not None,
                reverses_receipt,
                note,
                closes,
                f"{head}/{pk}/{tail}"
                if may_reverse and reverses_id is None and pk not in reversed_ids
                else "",
                money(interest),
                money(principal),
                receipt_number(number_year, number_seq) if number_year else "",
                f"{r_head}/{pk}/{r_tail}",
            )
        )
    return result


@login_required
@require_GET
def contract_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract in Thai with the amount in words and the schedule, printed from the browser."""
    contract = contract_for_personal_data(request.user, pk)
    table = contract_schedule(contract)
    context = {
        "contract": contract,
        "table": table,
        "principal_words": baht_text(table.principal),
        # the chair who signs: on the signing date, or today for a draft
        "chair": center_chair(contract.center_id, contract.signed_on or timezone.localdate()),
        "guarantors": list(contract.guarantors.all()),
    }
    return render(request, "contracts/contract_print.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a draft: the creditors' receipts, then the contract is active and the household enrolled."""
    contract = contract_for_personal_data(request.user, pk)
    if not contract.user_may_edit:
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


@login_required
@require_POST
def contract_cancel_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a draft with a reason (from the form on the draft's page); it stays, marked cancelled."""
    contract = _editable_contract(request, pk)
    form = CancelDraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the cancellation."))
    else:
        try:
            services.contract_cancel_draft(
                user=request.user, contract=contract, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Draft %(number)s is cancelled.") % {"number": contract.number})
    return redirect("contracts:contract_detail", pk=contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contract_restructure(request: HttpRequest, pk: int) -> HttpResponse:
    """New terms for what an active contract still owes: a draft linked to it; signing the draft closes
    the old contract as restructured (both are kept)."""
    contract = _editable_contract(request, pk, tranches=True)
    pending = restructured_into(contract)
    if pending is not None:
        messages.info(
            request, _("This contract is already restructured by %(number)s.") % {"number": pending.number}
        )
        return redirect("contracts:contract_detail", pk=pending.pk)
    if not contract.is_active:
        messages.info(request, _("Only an active contract can be restructured."))
        return redirect("contracts:contract_detail", pk=contract.pk)
    position = contract_position(contract, timezone.localdate())
    owed = [t for t in contract.tranches.all() if position.principal_owed[t.pk] > 0]
    form = RestructureForm(request.POST or None, tranches=owed)
    fits = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.contract_restructure(
                user=request.user,
                contract=contract,
                term_months=data["term_months"],
                first_due_on=data["first_due_on"],
                rates=form.rates(),
                affordability_reason=data["affordability_reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            if getattr(exc, "code", None) == "unaffordable" or "affordability_reason" in form.errors:
                fits = services.restructuring_terms(  # the figures behind the refusal
                    contract,
                    term_months=data["term_months"],
                    first_due_on=data["first_due_on"],
                    rates=form.rates(),
                    on=timezone.localdate(),
                ).fits
        else:
            messages.success(
                request,
                _("Draft %(new)s restructures contract %(old)s: sign it to close the old contract.")
                % {"new": new.number, "old": contract.number},
            )
            return redirect("contracts:contract_detail", pk=new.pk)
    rows = [(t, position.principal_owed[t.pk], position.interest_due[t.pk]) for t in contract.tranches.all()]
    context = {"form": form, "contract": contract, "position": position, "rows": rows, "affordability": fits}
    return render(request, "contracts/contract_restructure.html", context)


def _editable_contract(request: HttpRequest, pk: int, *, tranches: bool = False) -> Contract:
    """The contract for the forms on it if the user may edit it; 404 if not. Without links and payoffs, and
    its tranches prefetched only when asked: the forms read them once at most (a write locks and reads its
    own contract)."""
    contract = contract_for_personal_data(request.user, pk, links=False, tranches=tranches, payoffs=False)
    if not contract.user_may_edit:
        raise Http404
    return contract


@login_required
@require_http_methods(["GET", "POST"])
def repayment_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _editable_contract(request, pk)
    position = contract_position(contract, timezone.localdate()) if contract.is_active else None
    # the form proposes what is due today (an amount typed in replaces it)
    form = RepaymentForm(request.POST or None, due=position.due if position else None)
    if request.method == "POST" and form.is_valid() and _repeat_confirmed(contract, form):
        data = form.cleaned_data
        try:
            repayment = services.repayment_record(
                user=request.user,
                contract=contract,
                paid_on=data["paid_on"],
                amount=data["amount"],
                token=data["token"],
                pay_off=data["pay_off"],
                note=data["note"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s baht recorded, receipt %(receipt)s.")
                % {"amount": f"{repayment.amount:,.2f}", "receipt": repayment.receipt_number},
            )
            return redirect("contracts:contract_detail", pk=contract.pk)
    context = {"form": form, "contract": contract, "position": position}
    return render(request, "contracts/repayment_form.html", context)


def _repeat_confirmed(contract: Contract, form: RepaymentForm) -> bool:
    """False (and the form asks to confirm) when the contract already has a payment, not reversed, of the
    same amount on the same day and the officer has not confirmed a second one (the same form sent twice is
    not a second payment: the service records it once)."""
    data = form.cleaned_data
    if data["pay_off"] or data["confirm_repeat"] or data["amount"] is None:
        return True
    repeated = (
        contract.repayments.filter(
            paid_on=data["paid_on"], amount=data["amount"], reverses__isnull=True, reversed_by__isnull=True
        )
        .exclude(token=data["token"])
        .exists()
    )
    if repeated:
        form.ask_to_confirm_repeat()
    return not repeated


@login_required
@require_POST
def repayment_reverse(request: HttpRequest, pk: int, repayment_pk: int) -> HttpResponse:
    contract = _editable_contract(request, pk)
    repayment = get_object_or_404(contract.repayments.all(), pk=repayment_pk)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the reversal."))
    else:
        try:
            reversal = services.repayment_reverse(
                user=request.user, repayment=repayment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Payment %(receipt)s reversed.") % {"receipt": reversal.reverses.receipt_number}
            )
    return redirect("contracts:contract_detail", pk=contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def savings_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _editable_contract(request, pk)
    form = SavingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.savings_record(
                user=request.user,
                contract=contract,
                on=data["on"],
                kind=data["kind"],
                amount=data["amount"],
                token=data["token"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Savings recorded."))
            return redirect("contracts:contract_detail", pk=contract.pk)
    context = {
        "form": form,
        "contract": contract,
        "balance": savings_balance(contract),
        "minimum": minimum_savings_stock(contract),
    }
    return render(request, "contracts/savings_form.html", context)


def _center_with_names(request: HttpRequest, center_pk: int) -> Center:
    """The center if the user may see its households by name and edit it (the collection and arrears
    pages list households); 404 otherwise."""
    return get_object_or_404(Center.objects.editable_by(request.user), pk=center_pk)


@login_required
@require_http_methods(["GET", "POST"])
def collection_sheet(request: HttpRequest, center_pk: int) -> HttpResponse:
    """Every active contract of the center with what falls due this month; one form, one transaction."""
    center = _center_with_names(request, center_pk)
    today = timezone.localdate()
    month_end = add_months(today.replace(day=1), 1) - timedelta(days=1)
    portfolio = center_portfolio(center, month_end, today=today)
    form = CollectionForm(request.POST or None, standings=portfolio.standings)
    if request.method == "POST" and form.is_valid():
        try:
            payments, deposits = services.collection_record(
                user=request.user,
                center=center,
                on=form.cleaned_data["on"],
                rows=form.collection(),
                token=form.cleaned_data["token"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Collection saved: %(payments)s payments and %(deposits)s deposits.")
                % {"payments": payments, "deposits": deposits},
            )
            return redirect("contracts:collection_sheet", center_pk=center.pk)
    context = {"center": center, "form": form, "month_end": month_end}
    return render(request, "contracts/collection_sheet.html", context)


@login_required
@require_GET
def arrears(request: HttpRequest, center_pk: int) -> HttpResponse:
    """Arrears buckets, PAR30 and the overdue households of a center, today."""
    center = _center_with_names(request, center_pk)
    portfolio = center_portfolio(center, timezone.localdate())
    return render(request, "contracts/arrears.html", {"center": center, "portfolio": portfolio})


@login_required
@require_http_methods(["GET", "POST"])
def savings_rule(request: HttpRequest, center_pk: int) -> HttpResponse:
    """The center's savings rule (กู้มาก ออมมาก): bands by principal, share of the instalment, minimum stock.
    District officers of the district and admins; 404 for everyone else."""
    center = _center_with_names(request, center_pk)
    rule = SavingsRule.objects.filter(center=center).prefetch_related("tiers").first()
    tiers = list(rule.tiers.all()) if rule else []
    initial = (
        {
            "instalment_share": rule.instalment_share,
            "minimum_stock_share": rule.minimum_stock_share,
            "payoff_rule": rule.payoff_rule,
            "late_payment_clause": rule.late_payment_clause,
        }
        if rule
        else {}
    )
    form = SavingsRuleForm(request.POST or None, tiers=tiers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.savings_rule_save(
                user=request.user,
                center=center,
                instalment_share=form.cleaned_data["instalment_share"],
                minimum_stock_share=form.cleaned_data["minimum_stock_share"],
                tiers=form.tiers(),
                payoff_rule=form.cleaned_data["payoff_rule"],
                late_payment_clause=form.cleaned_data["late_payment_clause"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("The savings rule is saved. It applies to contracts drawn up from now on.")
            )
            return redirect("contracts:savings_rule", center_pk=center.pk)
    return render(request, "contracts/savings_rule.html", {"center": center, "form": form, "rule": rule})


@login_required
@require_GET
def fund_book_export(request: HttpRequest, center_pk: int) -> HttpResponse:
    """Each fund's repayment lines of one month (`?year=<BE>&month=<1-12>`), one sheet per fund with its
    totals, for each fund's committee to reconcile its own book. The lines name households: the center's
    district officers only (404 otherwise); the export is logged."""
    center = _center_with_names(request, center_pk)
    form = FundBookForm(request.GET)
    if not form.is_valid():
        errors = [" ".join(messages) for messages in form.errors.values()]
        return render(request, "core/export_refused.html", {"errors": errors}, status=400)
    first, last = form.period()
    books = fund_book(center, first, last)
    headers = [
        _("Paid on"), _("Receipt"), _("Contract"), _("Head of household"), _("Interest (baht)"),
        _("Principal (baht)"), _("Total (baht)"), _("Reverses receipt"),
    ]  # fmt: skip
    sheets = []
    for fund in center.funds.order_by("pk"):
        lines = books.get(fund.pk, [])
        if not lines and not fund.holds_money:
            continue
        rows: list[list[object]] = [
            [paid_on, receipt, number, head, interest, principal, interest + principal, reverses]
            for paid_on, receipt, number, head, interest, principal, reverses in lines
        ]
        interest_total = sum((line[4] for line in lines), Decimal("0.00"))
        principal_total = sum((line[5] for line in lines), Decimal("0.00"))
        rows.append(
            ["", "", "", _("Total"), interest_total, principal_total, interest_total + principal_total, ""]
        )
        sheets.append(Sheet(f"{fund.pk} {fund.name}", headers, rows))
    personal_data_log_write(
        user=request.user,
        action=PersonalDataLog.Action.EXPORT,
        what=_("Excel export of the fund books of center #%(center)s for %(month)s")
        % {"center": center.pk, "month": form.label()},
        row_count=sum(len(lines) for lines in books.values()),
        district_id=center.village.code[:4],
    )
    return workbook_response(
        filename=f"fund-books-{center.pk}-{form.label().replace('/', '-')}.xlsx",
        sheets=sheets,
        area=center.name,
        fiscal_year_be=fiscal_year(first),
    )


# --- receipts and the passbook ------------------------------------------------------------------------------


def _paper(request: HttpRequest) -> str:
    """The paper a receipt or passbook prints on: A5 unless ?paper=a4."""
    return "a4" if request.GET.get("paper") == "a4" else "a5"


@login_required
@require_GET
def repayment_receipt(request: HttpRequest, pk: int, repayment_pk: int) -> HttpResponse:
    """A payment's receipt in Thai, or for a reversal the cancellation of the payment's receipt."""
    contract = contract_for_personal_data(request.user, pk, payoffs=False)
    receipt = receipts.repayment_receipt(contract, repayment_pk)
    context = {
        "contract": contract,
        "r": receipt,
        "words": baht_text(receipt.amount),
        "paper": _paper(request),
        "cancellation": receipt.repayment.is_reversal,
        "reversal": getattr(receipt.repayment, "reversed_by", None),
    }
    return render(request, "contracts/receipt.html", context)


@login_required
@require_GET
def savings_receipt(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    contract = contract_for_personal_data(request.user, pk, payoffs=False)
    receipt = receipts.savings_receipt(contract, entry_pk)
    context = {
        "contract": contract,
        "r": receipt,
        "words": baht_text(receipt.amount),
        "paper": _paper(request),
        "savings": True,
    }
    return render(request, "contracts/receipt.html", context)


@login_required
@require_GET
def passbook(request: HttpRequest, household_pk: int) -> HttpResponse:
    """The household's passbook (สมุดบัญชี): every payment and savings entry with the balances after it."""
    household = receipts.household_for_passbook(request.user, household_pk)
    context = {"household": household, "books": receipts.passbook(household), "paper": _paper(request)}
    return render(request, "contracts/passbook.html", context)
