"""The receivers that tell `core.events` which center a saved or deleted row belongs to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from core import events


def center_id_of(instance: models.Model, path: tuple[str, ...]) -> int | None:
    """Follow `path` (relations, then the center's id) from the row, using what is already loaded and at
    most one query for the rest; None when a parent is gone (a cascade delete)."""
    obj: Any = instance
    for index, name in enumerate(path[:-1]):
        field = obj._meta.get_field(name)
        if field.is_cached(obj):
            obj = getattr(obj, name)
            continue
        parent_id = getattr(obj, field.attname)
        if parent_id is None:
            return None
        lookup = "__".join(path[index + 1 :])
        return field.related_model._base_manager.filter(pk=parent_id).values_list(lookup, flat=True).first()
    return getattr(obj, path[-1])


def center_receiver(path: tuple[str, ...]) -> Callable[..., None]:
    def changed(sender: type, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
        if not raw:  # fixtures being loaded: rebuild_rollups afterwards
            events.center_changed(center_id_of(instance, path))
            events.center_changed(getattr(instance, "_rollups_previous_center", None))

    return changed


def remember_previous_center(sender: type, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """Before a household is saved with another center (the admin can do it), note the one it leaves, which
    is refreshed after the save as well."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (update_fields is not None and "center" not in update_fields):
        return
    previous = sender._base_manager.filter(pk=instance.pk).values_list("center_id", flat=True).first()
    instance._rollups_previous_center = previous if previous != instance.center_id else None
