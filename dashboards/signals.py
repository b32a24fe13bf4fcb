"""The receivers that tell `core.events` which center a saved or deleted row belongs to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from core import events
from visits.models import SHARED_STATUSES, CenterReport, ReportStatus


def follow(instance: models.Model, relations: tuple[str, ...], names: tuple[str, ...]) -> tuple | None:
    """The values `names` of the row reached from `instance` through `relations`, using what is already
    loaded and at most one query for the rest; None when a parent is gone (a cascade delete)."""
    obj: Any = instance
    for index, name in enumerate(relations):
        field = obj._meta.get_field(name)
        if field.is_cached(obj):
            obj = getattr(obj, name)
            continue
        parent_id = getattr(obj, field.attname)
        if parent_id is None:
            return None
        prefix = "".join(f"{relation}__" for relation in relations[index + 1 :])
        lookups = [f"{prefix}{value}" for value in names]
        return field.related_model._base_manager.filter(pk=parent_id).values_list(*lookups).first()
    return tuple(getattr(obj, value) for value in names)


def center_receiver(path: tuple[str, ...], *, of_report: bool = False) -> Callable[..., None]:
    """The receiver for one watched model. `of_report`: the path ends at a visit report, whose rows count only
    while it is shared (submitted or accepted, `visits.models.SHARED_STATUSES`): a draft's or a returned
    report's writes change no figure and refresh nothing, unless the report itself leaves a shared status."""

    def changed(sender: type, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # fixtures being loaded: rebuild_rollups afterwards
            return
        if not of_report:
            (center_id,) = follow(instance, path[:-1], path[-1:]) or (None,)
        else:
            center_id, status = follow(instance, path[:-1], (path[-1], "status")) or (None, None)
            shared = status in SHARED_STATUSES
            if isinstance(instance, CenterReport):
                was_shared = getattr(instance, "_rollups_was_shared", True)
                instance._rollups_was_shared = shared
                shared = shared or was_shared
            if not shared:
                return
        events.center_changed(center_id)
        events.center_changed(getattr(instance, "_rollups_previous_center", None))

    return changed


def remember_report_status(sender: type, instance: CenterReport, **kwargs: Any) -> None:
    """Note whether a report is shared as it is loaded (or made), so that its save knows if it leaves a
    shared status. Not known (deferred): taken as shared, so the save refreshes."""
    status = instance.__dict__.get("status", ReportStatus.SUBMITTED)
    instance._rollups_was_shared = status in SHARED_STATUSES


def remember_previous_center(sender: type, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """Before a household or a visit report is saved with another center (the admin can do it), note the one
    it leaves, which is refreshed after the save as well."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (update_fields is not None and "center" not in update_fields):
        return
    previous = sender._base_manager.filter(pk=instance.pk).values_list("center_id", flat=True).first()
    instance._rollups_previous_center = previous if previous != instance.center_id else None
