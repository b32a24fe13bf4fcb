"""The one place that decides which rows a user may see and edit.

Every list, detail page, export, dashboard and admin page takes its rows from `visible_to(user)` or
`editable_by(user)`. Rules, by the user's office:

- superuser (admin): sees and edits everything;
- department (national) staff: see everything, edit nothing;
- provincial staff: see their province, edit nothing (they review);
- district officers: see and edit their district.

Monitoring trips and the review of their reports follow the level of the trip (the matrix in the README,
"Who records a trip and who reviews its reports"): `trip_levels_for`, `may_record_trip` and `trip_record_q`
say who records (and so edits) a trip of each level where; `may_review_trip_report` and `trip_review_q` who
reviews its reports.

A model opts in by giving its queryset a `district_path`: the lookup from the model to its District.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class OfficeLevel(models.TextChoices):
    DEPARTMENT = "department", "department"
    PROVINCE = "province", "province"
    DISTRICT = "district", "district"


NOTHING = Q(pk__in=[])
# "Every row" as a real condition: Django drops an empty Q() from `Q() | Q(x)`, which would turn
# "everything, or the author's own rows" into "the author's own rows".
EVERYTHING = Q(pk__isnull=False)


def is_active_user(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def user_province_id(user: Any) -> str | None:
    """The province of the user's office: a district's code starts with its province's code."""
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return user.district_id[:2]
    if user.office_level == OfficeLevel.PROVINCE:
        return user.province_id
    return None


def visible_q(user: Any, district_path: str) -> Q:
    """The rows `user` may read, for a model whose District is reached by `district_path`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.office_level == OfficeLevel.DEPARTMENT:
        return EVERYTHING
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        return Q(**{f"{district_path}__province": user.province_id})
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return Q(**{district_path: user.district_id})
    return NOTHING


def editable_q(user: Any, district_path: str) -> Q:
    """The rows `user` may change: admins everywhere, district officers in their own district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return Q(**{district_path: user.district_id})
    return NOTHING


def can_edit_in(user: Any, district_id: str | None) -> bool:
    """Whether `user` may change a row of district `district_id`: `editable_q` for one row whose district
    is already known, without a query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.office_level == OfficeLevel.DISTRICT
        and bool(user.district_id)
        and user.district_id == district_id
    )


def can_create(user: AnonymousUser | Any) -> bool:
    """Whether the user may create records at all: admins, and district officers in their district."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.office_level == OfficeLevel.DISTRICT and bool(user.district_id))


# --- monitoring trips: who records a trip of each level, who reviews its reports ---------------------------
# A trip's level takes the values of the office levels (visits.TripLevel): each office records trips of its
# own level, and the reports of a trip are reviewed one level up (the department reviews its own).


def trip_levels_for(user: Any) -> tuple[str, ...]:
    """The levels of trip the user may record: their office's level; every level for administrators."""
    if not is_active_user(user):
        return ()
    if user.is_superuser:
        return (OfficeLevel.DISTRICT, OfficeLevel.PROVINCE, OfficeLevel.DEPARTMENT)
    if user.office_level == OfficeLevel.DEPARTMENT:
        return (OfficeLevel.DEPARTMENT,)
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        return (OfficeLevel.PROVINCE,)
    if user.office_level == OfficeLevel.DISTRICT and user.district_id:
        return (OfficeLevel.DISTRICT,)
    return ()


def may_record_trip(user: Any, *, level: str, province_id: str | None, district_id: str | None) -> bool:
    """Whether the user may record (or edit) a trip of `level` in that province and district: district
    officers district trips of their district, provincial staff provincial trips of their province,
    department staff department trips anywhere, administrators any trip."""
    if level not in trip_levels_for(user):
        return False
    if user.is_superuser or level == OfficeLevel.DEPARTMENT:
        return True
    if level == OfficeLevel.PROVINCE:
        return province_id == user.province_id
    return district_id == user.district_id


def trip_record_q(
    user: Any, *, level: str = "level", province: str = "province", district: str = "district"
) -> Q:
    """`may_record_trip` as a condition on trips (lookups of their level, province and district)."""
    levels = trip_levels_for(user)
    if not levels:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if levels == (OfficeLevel.DEPARTMENT,):
        return Q(**{level: OfficeLevel.DEPARTMENT})
    if levels == (OfficeLevel.PROVINCE,):
        return Q(**{level: OfficeLevel.PROVINCE, province: user.province_id})
    return Q(**{level: OfficeLevel.DISTRICT, district: user.district_id})


def may_review_trip_report(user: Any, *, level: str, province_id: str | None) -> bool:
    """Whether the user may accept or return a report of a trip of `level` in province `province_id`:

    - a district trip: provincial staff of its province;
    - a provincial trip: the head of its provincial office (provincial staff with `reviews_reports`), or a
      department reviewer (department staff with `reviews_reports`);
    - a department trip: a department reviewer;
    - administrators: every report.

    Nobody but an administrator reviews a report they wrote (checked with the report: `trip_review_q`'s
    callers exclude the author).
    """
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        if province_id != user.province_id:
            return False
        return level == OfficeLevel.DISTRICT or (level == OfficeLevel.PROVINCE and user.reviews_reports)
    if user.office_level == OfficeLevel.DEPARTMENT and user.reviews_reports:
        return level in (OfficeLevel.PROVINCE, OfficeLevel.DEPARTMENT)
    return False


def trip_review_q(user: Any, *, level: str, province: str) -> Q:
    """`may_review_trip_report` as a condition on reports (lookups of their trip's level and province)."""
    if not is_active_user(user):
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if user.office_level == OfficeLevel.PROVINCE and user.province_id:
        levels = [OfficeLevel.DISTRICT, *([OfficeLevel.PROVINCE] if user.reviews_reports else [])]
        return Q(**{f"{level}__in": levels, province: user.province_id})
    if user.office_level == OfficeLevel.DEPARTMENT and user.reviews_reports:
        return Q(**{f"{level}__in": [OfficeLevel.PROVINCE, OfficeLevel.DEPARTMENT]})
    return NOTHING


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's jurisdiction."""

    district_path: str = ""

    def visible_to(self, user: Any):
        return self.filter(visible_q(user, self.district_path))

    def editable_by(self, user: Any):
        return self.filter(editable_q(user, self.district_path))


def get_visible_or_404(queryset: ScopedQuerySet, user: Any, **lookup: Any):
    """The object if the user may see it; 404 both when it does not exist and when it is not theirs."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


# --- choices -----------------------------------------------------------------------------------------------
# What a user may pick in a form's foreign-key or many-to-many field: the rows they may edit. A model with a
# ScopedQuerySet answers with `editable_by`; the models below have no district of their own and a rule here.


def _area_rule(district_path: str) -> Callable[[Any, models.QuerySet], models.QuerySet]:
    """Reference areas: the ones that hold a district the user may edit (all of them for admins)."""
    return lambda user, queryset: queryset.filter(editable_q(user, district_path))


def _reference_rule(user: Any, queryset: models.QuerySet) -> models.QuerySet:
    """Reference lists that every active user may pick from."""
    return queryset if is_active_user(user) else queryset.none()


def _colleagues_rule(user: Any, queryset: models.QuerySet) -> models.QuerySet:
    """Staff accounts: admins pick anyone; department staff their department colleagues; provincial staff and
    district officers the staff of their province (its office and its districts), and always themselves."""
    if not is_active_user(user):
        return queryset.none()
    queryset = queryset.filter(is_active=True)
    if user.is_superuser:
        return queryset
    if user.office_level == OfficeLevel.DEPARTMENT:
        return queryset.filter(Q(office_level=OfficeLevel.DEPARTMENT) | Q(pk=user.pk))
    province = user_province_id(user)
    if not province:
        return queryset.filter(pk=user.pk)
    return queryset.filter(Q(province=province) | Q(district__province=province) | Q(pk=user.pk))


def _admins_only_rule(user: Any, queryset: models.QuerySet) -> models.QuerySet:
    """Rights (groups and permissions): only administrators grant them."""
    return queryset if is_active_user(user) and user.is_superuser else queryset.none()


CHOICE_RULES: dict[str, Callable[[Any, models.QuerySet], models.QuerySet]] = {
    "geography.Province": _area_rule("districts"),
    "geography.District": _area_rule("pk"),
    "geography.Subdistrict": _area_rule("district"),
    "accounts.User": _colleagues_rule,
    "visits.RegistryKind": _reference_rule,
    "auth.Group": _admins_only_rule,
    "auth.Permission": _admins_only_rule,
}


def has_choice_rule(model: type[models.Model]) -> bool:
    return model._meta.label in CHOICE_RULES or hasattr(model._default_manager.none(), "editable_by")


def choices_for(user: Any, queryset: models.QuerySet | type[models.Model]) -> models.QuerySet:
    """The rows of `queryset` (or of a model) that `user` may choose in a form: the rows they may edit.

    Raises LookupError for a model without a rule: give its queryset a `district_path`, or add it to
    CHOICE_RULES.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    rule = CHOICE_RULES.get(queryset.model._meta.label)
    if rule is not None:
        return rule(user, queryset)
    if hasattr(queryset, "editable_by"):
        return queryset.editable_by(user)
    raise LookupError(
        f"{queryset.model._meta.label} has no scoping rule for choices: give its queryset a district_path "
        "(core.scoping.ScopedQuerySet) or add it to core.scoping.CHOICE_RULES"
    )
