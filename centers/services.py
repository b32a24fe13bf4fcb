"""Writes to a center and its parts. Each checks that the user may edit the center, inside a transaction."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from geography.models import Subdistrict, Village
from geography.services import village_save

from .models import (
    Center,
    CommitteeMember,
    GroupRevenue,
    MemberFund,
    OccupationalGroup,
    Recognition,
)


def lock_center_for_edit(*, user: Any, center_id: int) -> Center:
    """The center, locked for this transaction, if the user may edit it; PermissionDenied otherwise."""
    try:
        return Center.objects.editable_by(user).select_for_update().get(pk=center_id)
    except Center.DoesNotExist:
        raise PermissionDenied from None


@transaction.atomic
def center_save(
    *,
    user: Any,
    center: Center,
    new_village: tuple[Subdistrict, int, str] | None = None,
) -> Center:
    """Create or update a center; `new_village` (subdistrict, moo, name) adds its village first."""
    if center.pk:
        lock_center_for_edit(user=user, center_id=center.pk)
    if new_village:
        subdistrict, moo, name = new_village
        center.village = village_save(user=user, village=Village(subdistrict=subdistrict, moo=moo, name=name))
    if not Village.objects.editable_by(user).filter(pk=center.village_id).exists():
        raise PermissionDenied
    center.full_clean()
    center.save()
    return center


def _save_part(user: Any, part: Any) -> Any:
    lock_center_for_edit(user=user, center_id=part.center_id)
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def fund_save(*, user: Any, fund: MemberFund) -> MemberFund:
    return _save_part(user, fund)


@transaction.atomic
def committee_member_save(*, user: Any, member: CommitteeMember) -> CommitteeMember:
    """Save a committee member. The center row is locked, so two officers cannot both add a chair."""
    return _save_part(user, member)


@transaction.atomic
def group_save(
    *, user: Any, group: OccupationalGroup, supporting_funds: list[MemberFund]
) -> OccupationalGroup:
    _save_part(user, group)
    if any(fund.center_id != group.center_id for fund in supporting_funds):
        raise ValidationError({"supporting_funds": _("A supporting fund must belong to the same center.")})
    group.supporting_funds.set(supporting_funds)
    return group


@transaction.atomic
def revenue_save(*, user: Any, group: OccupationalGroup, fiscal_year: int, revenue: Any) -> GroupRevenue:
    """Record a group's revenue for a fiscal year; a new figure replaces the old one (kept in history)."""
    lock_center_for_edit(user=user, center_id=group.center_id)
    row = GroupRevenue.objects.filter(group=group, fiscal_year=fiscal_year).first() or GroupRevenue(
        group=group, fiscal_year=fiscal_year
    )
    row.revenue = revenue
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def recognition_save(*, user: Any, recognition: Recognition) -> Recognition:
    return _save_part(user, recognition)
