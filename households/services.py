"""Writes to households. Each checks that the user may edit the household's center, inside a transaction.

Every reveal of a national ID and every export or import of personal data writes a PersonalDataLog row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from centers.models import Center, OccupationalGroup
from centers.services import lock_center_for_edit
from geography.models import Village

from .models import (
    BudgetStatement,
    Household,
    HouseholdStatus,
    PersonalDataLog,
    StatusChange,
)


def household_villages(center: Center):
    """The villages a household of `center` may live in: the center's village and the others of its
    subdistrict."""
    return Village.objects.filter(subdistrict_id=center.village.subdistrict_id).order_by("moo")


def _check_village_and_groups(household: Household, groups: Iterable[OccupationalGroup]) -> None:
    center = household.center
    if (
        household.village_id != center.village_id
        and not household_villages(center).filter(pk=household.village_id).exists()
    ):
        raise ValidationError({"village": _("The village must be in the center's subdistrict.")})
    if any(group.center_id != center.pk for group in groups):
        raise ValidationError(
            {"occupational_groups": _("An occupational group must belong to the household's center.")}
        )


def _check_unique_id(household: Household) -> None:
    duplicate = Household.objects.filter(
        center_id=household.center_id, national_id_hash=household.national_id_hash
    ).exclude(pk=household.pk)
    if duplicate.exists():
        raise ValidationError(
            {"national_id": _("A household with this national ID is already registered in this center.")}
        )


@sensitive_variables("national_id")
@transaction.atomic
def household_register(
    *,
    user: Any,
    household: Household,
    national_id: str,
    occupational_groups: Iterable[OccupationalGroup] = (),
) -> Household:
    """Register a new household of a center, surveyed on `household.surveyed_on`.

    `national_id` is normalized (households.national_id.normalize); it is stored encrypted with its hash.
    """
    lock_center_for_edit(user=user, center_id=household.center_id)
    groups = list(occupational_groups)
    household.set_national_id(national_id)
    household.status = HouseholdStatus.SURVEYED
    household.status_since = (
        household.surveyed_on
    )  # the survey is the first step; StatusChange logs the moves
    _check_village_and_groups(household, groups)
    _check_unique_id(household)
    household.full_clean(exclude=["national_id_encrypted", "national_id_hash"])
    household._history_user = user  # simple-history: the audit trail names the user, also outside a request
    household.save()
    household.occupational_groups.set(groups)
    return household


@sensitive_variables("national_id")
@transaction.atomic
def household_update(
    *,
    user: Any,
    household: Household,
    occupational_groups: Iterable[OccupationalGroup],
    national_id: str | None = None,
) -> Household:
    """Save changes to a household; a new `national_id` (normalized) replaces the stored one."""
    lock_center_for_edit(user=user, center_id=household.center_id)
    groups = list(occupational_groups)
    if national_id:
        household.set_national_id(national_id)
    _check_village_and_groups(household, groups)
    _check_unique_id(household)
    first_step = household.status_changes.order_by("changed_on", "pk").first()
    if first_step is None:
        household.status_since = (
            household.surveyed_on
        )  # still only surveyed: its status dates from the survey
    elif household.surveyed_on > first_step.changed_on:
        raise ValidationError(
            {"surveyed_on": _("The survey date cannot be after the household's first status change.")}
        )
    household.full_clean(exclude=["national_id_encrypted", "national_id_hash"])
    household._history_user = user  # simple-history: the audit trail names the user, also outside a request
    household.save()
    household.occupational_groups.set(groups)
    return household


# --- status transitions ------------------------------------------------------------------------------------


def _move(*, user: Any, household: Household, to: str, on: date, note: str) -> StatusChange:
    lock_center_for_edit(user=user, center_id=household.center_id)
    current = Household.objects.select_for_update().get(pk=household.pk)
    if to not in current.next_statuses:
        raise ValidationError(
            _("A household that is “%(current)s” cannot become “%(new)s”.")
            % {"current": current.get_status_display(), "new": HouseholdStatus(to).label},
            code="illegal_transition",
        )
    if on < current.status_since:
        raise ValidationError(
            {"changed_on": _("The date cannot be before the household's last status change.")},
            code="before_last_change",
        )
    if on > timezone.localdate():
        raise ValidationError({"changed_on": _("The date cannot be in the future.")}, code="future")
    change = StatusChange(
        household=current, from_status=current.status, to_status=to, changed_on=on, note=note,
        recorded_by=user,
    )  # fmt: skip
    change.full_clean()
    change._history_user = current._history_user = user
    change.save()
    current.status, current.status_since = to, on
    current.save(update_fields=["status", "status_since"])
    household.status, household.status_since = to, on  # keep the caller's object in step
    return change


@transaction.atomic
def household_select_as_target(*, user: Any, household: Household, on: date, note: str = "") -> StatusChange:
    """The committee selects a surveyed household as a target of debt management."""
    return _move(user=user, household=household, to=HouseholdStatus.TARGET, on=on, note=note)


@transaction.atomic
def household_enrol(*, user: Any, household: Household, on: date, note: str = "") -> StatusChange:
    """A target household signs its "1 household 1 contract" contract (called by the contracts app)."""
    return _move(user=user, household=household, to=HouseholdStatus.ENROLLED, on=on, note=note)


@transaction.atomic
def household_mark_debt_free(*, user: Any, household: Household, on: date, note: str = "") -> StatusChange:
    """An enrolled household has cleared its debts (ปลดหนี้)."""
    return _move(user=user, household=household, to=HouseholdStatus.DEBT_FREE, on=on, note=note)


@transaction.atomic
def household_withdraw(*, user: Any, household: Household, on: date, note: str = "") -> StatusChange:
    """The household leaves the process before it is debt-free."""
    return _move(user=user, household=household, to=HouseholdStatus.WITHDRAWN, on=on, note=note)


TRANSITION_SERVICES = {
    HouseholdStatus.TARGET: household_select_as_target,
    HouseholdStatus.ENROLLED: household_enrol,
    HouseholdStatus.DEBT_FREE: household_mark_debt_free,
    HouseholdStatus.WITHDRAWN: household_withdraw,
}


# --- budget ------------------------------------------------------------------------------------------


@transaction.atomic
def budget_statement_save(*, user: Any, statement: BudgetStatement) -> BudgetStatement:
    """Record or correct a household's monthly budget statement for a date (changes stay in history)."""
    lock_center_for_edit(user=user, center_id=statement.household.center_id)
    statement.full_clean()
    statement._history_user = user
    statement.save()
    return statement


# --- personal data: reveal, export, import logs ----------------------------------------------------------


def _district_of(household: Household) -> str:
    return household.center.village.subdistrict.district_id


@transaction.atomic
def household_reveal_national_id(*, user: Any, household: Household) -> str:
    """The household's full national ID, for a user allowed to see it; the reveal is logged first."""
    if not Household.objects.personal_data_visible_to(user).filter(pk=household.pk).exists():
        raise PermissionDenied
    PersonalDataLog.objects.create(
        user=user,
        action=PersonalDataLog.Action.REVEAL,
        household=household,
        district_id=_district_of(household),
        what=_("national ID of household #%(pk)s (house %(house)s, %(center)s)")
        % {"pk": household.pk, "house": household.house_number, "center": household.center.name},
        row_count=1,
    )
    return household.reveal_national_id()


def personal_data_log_write(
    *, user: Any, action: str, what: str, row_count: int, district_id: str | None = None
) -> PersonalDataLog:
    """Log an export or import of personal data (`what` describes it, without any personal data)."""
    return PersonalDataLog.objects.create(
        user=user, action=action, what=what[:500], row_count=row_count, district_id=district_id
    )
