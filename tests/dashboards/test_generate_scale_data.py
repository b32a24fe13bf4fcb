"""`generate_scale_data` writes a synthetic dataset that holds together the way the app's own writes do.

PostgreSQL only (the command loads with COPY): run with DATABASE_URL=postgres://… . On SQLite the command
itself is checked to refuse with a clear message.
"""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from centers.models import Center, MemberFund
from contracts import calculations
from contracts.calculations import Method
from contracts.models import (
    Contract,
    Payoff,
    Repayment,
    SavingsEntry,
    ScheduledInstalment,
    Tranche,
)
from contracts.selectors import contract_position
from debts.models import DebtBalance, DebtLine
from geography.models import Village
from households import national_id
from households.models import Household, HouseholdStatus, StatusChange
from visits.models import CenterReport, Recommendation, Trip

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="generate_scale_data loads with COPY (run with DATABASE_URL=postgres://...)"
)
CENTERS, HOUSEHOLDS = 12, 200


def generate(*extra: str) -> str:
    out = io.StringIO()
    call_command(
        "generate_scale_data", "--centers", str(CENTERS), "--households", str(HOUSEHOLDS), "--months", "24",
        "--seed", "3", *extra, stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


@pytest.fixture
def dataset(db):
    generate()


@pytest.mark.skipif(ON_POSTGRES, reason="the refusal on SQLite")
def test_refuses_on_sqlite(db):
    with pytest.raises(CommandError, match="PostgreSQL COPY"):
        generate()


@pytest.mark.django_db
def test_refuses_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate()


@postgres_only
def test_sizes_and_spread(dataset):
    assert Center.objects.count() == CENTERS
    assert Household.objects.count() == HOUSEHOLDS
    funds = Center.objects.annotate(n=Count("funds")).values_list("n", flat=True)
    assert all(2 <= n <= 4 for n in funds)
    assert MemberFund.objects.filter(is_core=True).count() == CENTERS
    assert not Village.objects.filter(subdistrict__district__province="10").exists()  # no CDD in Bangkok
    assert Household.objects.filter(status=HouseholdStatus.ENROLLED).exists()
    assert Household.objects.filter(status=HouseholdStatus.DEBT_FREE).exists()
    assert Contract.objects.filter(status=Contract.Status.CLOSED).exists()
    assert DebtLine.objects.values("sector").distinct().count() == 3
    assert Repayment.objects.filter(reverses__isnull=True).count() > Contract.objects.count()
    assert SavingsEntry.objects.exists()
    assert Trip.objects.exists()
    assert CenterReport.objects.exists()
    assert Recommendation.objects.exists()
    today = timezone.localdate()
    assert Recommendation.objects.overdue(today).exists()
    assert Recommendation.objects.filter(status="done").exists()
    for model, column in [(Repayment, "paid_on"), (SavingsEntry, "on"), (DebtBalance, "as_of")]:
        assert not model.objects.filter(**{f"{column}__gt": today}).exists(), model


@postgres_only
def test_national_ids_are_valid_encrypted_and_hashed(dataset):
    for household in Household.objects.all()[:50]:
        number = national_id.decrypt(household.national_id_encrypted)
        assert national_id.is_valid(number)
        assert household.national_id_hash == national_id.keyed_hash(number)
    assert Household.objects.values("national_id_hash").distinct().count() == HOUSEHOLDS


@postgres_only
def test_contracts_add_up(dataset):
    today = timezone.localdate()
    contracts = Contract.objects.prefetch_related("tranches", "payoffs").order_by("pk")
    assert contracts
    numbers = defaultdict(list)
    for contract in contracts:
        tranches = list(contract.tranches.all())
        assert 1 <= len(tranches) <= 2
        assert all(t.principal <= t.fund.capital and t.fund.center_id == contract.center_id for t in tranches)
        principal = sum((t.principal for t in tranches), Decimal("0.00"))
        # The principal covers what the contract paid the creditors.
        assert sum((p.amount for p in contract.payoffs.all()), Decimal("0.00")) <= principal
        # The stored schedule is the one contracts.calculations gives, and sums to principal + interest.
        expected = calculations.schedule(
            [calculations.Tranche(t.pk, t.principal, t.annual_rate, Method(t.method)) for t in tranches],
            contract.term_months,
            contract.first_due_on,
        )
        stored = ScheduledInstalment.objects.filter(contract=contract)
        totals = stored.aggregate(principal=Sum("principal"), interest=Sum("interest"))
        assert totals["principal"] == principal
        assert totals["interest"] == sum((i.interest for i in expected), Decimal("0.00"))
        assert stored.count() == contract.term_months * len(tranches)
        assert {(s.tranche_id, s.number): (s.principal, s.interest, s.due_on) for s in stored} == {
            (key, i.number): (line.principal, line.interest, i.due_date)
            for i in expected
            for key, line in i.lines.items()
        }
        # What is still owed follows from the ledger; a closed contract owes nothing.
        owed = contract_position(contract, today).principal
        if contract.status == Contract.Status.CLOSED:
            assert owed == 0
            assert contract.closed_on
        else:
            assert 0 < owed <= principal
        numbers[contract.center_id].append(contract.number)
    for center_numbers in numbers.values():
        assert sorted(n.split("/")[1] for n in center_numbers) == [
            f"{i:04d}" for i in range(1, len(center_numbers) + 1)
        ]


@postgres_only
def test_repayment_lines_sum_to_their_repayment(dataset):
    sums = Repayment.objects.annotate(
        lines_total=Sum("lines__interest") + Sum("lines__principal")
    ).values_list("amount", "lines_total")
    assert sums
    assert all(amount == total for amount, total in sums)
    # Interest never runs ahead of the schedule on any tranche.
    for tranche in Tranche.objects.annotate(paid=Sum("repayment_lines__interest")).filter(paid__isnull=False):
        scheduled = tranche.instalments.aggregate(total=Sum("interest"))["total"]
        assert tranche.paid <= scheduled
    reversal = Repayment.objects.filter(reverses__isnull=False).first()
    if reversal is not None:
        assert reversal.amount == -reversal.reverses.amount
    receipts = Repayment.objects.values("contract", "receipt_number").annotate(n=Count("pk")).filter(n__gt=1)
    assert not receipts.exists()


@postgres_only
def test_statuses_match_contracts_and_registry(dataset):
    per_household = Household.objects.annotate(
        active=Count("contracts", filter=Q(contracts__status="active")),
        closed=Count("contracts", filter=Q(contracts__status="closed")),
        total=Count("contracts"),
    )
    for household in per_household:
        assert household.active <= 1
        if household.status == HouseholdStatus.ENROLLED:
            assert household.active == 1
        elif household.status == HouseholdStatus.DEBT_FREE:
            assert household.active == 0
            assert household.closed == 1
            assert not DebtLine.objects.filter(household=household, status="open").exists()
        else:
            assert household.total == 0
        changes = list(StatusChange.objects.filter(household=household).order_by("changed_on", "pk"))
        if changes:
            assert changes[-1].to_status == household.status
            assert changes[-1].changed_on == household.status_since
            assert [c.from_status for c in changes[1:]] == [c.to_status for c in changes[:-1]]
        else:
            assert household.status == HouseholdStatus.SURVEYED
    # Each paid-off registry line ends with a zero balance on the payoff date, as contract signing writes it.
    for payoff in Payoff.objects.select_related("debt_line", "contract"):
        line = payoff.debt_line
        latest = line.balances.latest()
        assert (latest.balance, latest.as_of) == (Decimal("0.00"), payoff.paid_on)
        assert line.status == DebtLine.Status.PAID_OFF
        assert line.current_balance == 0
        assert payoff.contract.number in latest.note
    for line in DebtLine.objects.all()[:100]:
        latest = line.balances.latest()
        assert (line.current_balance, line.balance_as_of) == (latest.balance, latest.as_of)


@postgres_only
def test_sequences_continue_after_the_load(dataset):
    village = Village.objects.first()
    center = Center.objects.create(name="ศูนย์ใหม่หลังโหลด", village=village, founded_year=2567)
    assert center.pk > Center.objects.exclude(pk=center.pk).order_by("-pk").first().pk


@postgres_only
def test_refuses_a_filled_database_unless_replace(dataset):
    with pytest.raises(CommandError, match="--replace"):
        generate()
    first = set(Household.objects.values_list("national_id_hash", flat=True))
    generate("--replace")
    assert Household.objects.count() == HOUSEHOLDS
    assert set(Household.objects.values_list("national_id_hash", flat=True)) == first  # same seed, same data


@postgres_only
def test_the_app_pages_render_generated_records(dataset, client, superuser):
    client.force_login(superuser)
    contract = Contract.objects.filter(status="active", repayments__isnull=False).first()
    for url in (
        reverse("centers:center_detail", args=[contract.center_id]),
        reverse("households:household_detail", args=[contract.household_id]),
        reverse("contracts:contract_detail", args=[contract.pk]),
        reverse("contracts:arrears", args=[contract.center_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        contract.number.encode()
        in client.get(reverse("contracts:contract_detail", args=[contract.pk])).content
    )
