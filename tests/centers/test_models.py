from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from centers.models import Center, CommitteeMember, CommitteeRole, MemberFund, RateUnit
from centers.selectors import center_parts
from centers.services import committee_member_save, fund_save
from tests.factories import CenterFactory, MemberFundFactory


@pytest.fixture
def center(db):
    return CenterFactory()


def test_managed_capital_counts_only_funds_that_hold_money(center):
    MemberFundFactory(center=center, capital=Decimal("1000000.10"))
    MemberFundFactory(center=center, capital=Decimal("250000.25"))
    MemberFundFactory(
        center=center, capital=Decimal("0.00"), holds_money=False, lending_rate=None, rate_unit=""
    )
    parts = center_parts(center)
    assert parts["managed_capital"] == Decimal("1250000.35")
    assert len(parts["funds_not_counted"]) == 1
    annotated = Center.objects.with_managed_capital().get(pk=center.pk)
    assert annotated.managed_capital == Decimal("1250000.35")


def test_center_without_funds_manages_zero(center):
    assert Center.objects.with_managed_capital().get(pk=center.pk).managed_capital == Decimal("0.00")


@pytest.mark.parametrize(
    ("rate", "unit", "annual"),
    [("12.000", RateUnit.PER_YEAR, "12.000"), ("1.500", RateUnit.PER_MONTH, "18.000"), (None, "", None)],
)
def test_annual_rate(rate, unit, annual):
    fund = MemberFund(lending_rate=Decimal(rate) if rate else None, rate_unit=unit)
    assert fund.annual_rate == (Decimal(annual) if annual else None)


@pytest.mark.parametrize(
    "values",
    [
        {"capital": Decimal("-1.00")},
        {"lending_rate": Decimal("5"), "rate_unit": ""},
        {"lending_rate": Decimal("-1"), "rate_unit": RateUnit.PER_YEAR},
        {"holds_money": False, "capital": Decimal("10.00")},
    ],
)
def test_database_refuses_impossible_funds(center, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFundFactory(center=center, **values)


def test_database_refuses_a_term_ending_before_it_starts(center):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(
            center=center,
            full_name="x",
            role="member",
            term_start=date(2024, 1, 2),
            term_end=date(2024, 1, 1),
        )


def _member(center, role=CommitteeRole.CHAIR, start=date(2020, 1, 1), end=None, name="ประธาน"):
    return CommitteeMember(center=center, full_name=name, role=role, term_start=start, term_end=end)


def test_a_center_has_one_chair_at_a_time(center, officer):
    committee_member_save(user=officer, member=_member(center, end=date(2022, 12, 31)))
    with pytest.raises(ValidationError) as excinfo:
        committee_member_save(user=officer, member=_member(center, start=date(2022, 6, 1), name="คนที่สอง"))
    assert "role" in excinfo.value.message_dict
    # A chair whose term starts after the first one ended is fine.
    committee_member_save(user=officer, member=_member(center, start=date(2023, 1, 1), name="คนใหม่"))
    assert CommitteeMember.objects.filter(center=center, role=CommitteeRole.CHAIR).count() == 2


def test_database_backs_the_one_open_chair_rule(center):
    CommitteeMember.objects.create(center=center, full_name="a", role="chair", term_start=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(
            center=center, full_name="b", role="chair", term_start=date(2021, 1, 1)
        )


def test_the_fund_represented_must_be_the_centers_own(center, officer):
    foreign_fund = MemberFundFactory()
    member = _member(center, role=CommitteeRole.MEMBER)
    member.fund = foreign_fund
    with pytest.raises(ValidationError) as excinfo:
        committee_member_save(user=officer, member=member)
    assert "fund" in excinfo.value.message_dict


def test_services_refuse_users_who_cannot_edit_the_center(center, outsider, provincial):
    for user in (outsider, provincial):
        with pytest.raises(PermissionDenied):
            fund_save(user=user, fund=MemberFund(center=center, fund_type="other", name="x"))
    assert not MemberFund.objects.exists()
