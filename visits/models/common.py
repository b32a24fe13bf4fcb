"""Helpers shared by the visits models."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.utils import timezone

from centers.models import Center

CENTER_DISTRICT = "center__village__subdistrict__district"


def is_active_user(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def text_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def center_province_id(center_id: int, center: Any = None) -> str | None:
    """The province of center `center_id`; from `center` without a query when it is that center, read with
    its area (`Center.objects.with_area()`, or a report's `with_related()`)."""
    if center is not None and center.pk == center_id:
        obj = center
        for name in ("village", "subdistrict", "district"):
            if not obj._meta.get_field(name).is_cached(obj):
                break
            obj = getattr(obj, name)
        else:
            return obj.province_id
    return (
        Center.objects.filter(pk=center_id)
        .values_list("village__subdistrict__district__province_id", flat=True)
        .first()
    )


def _upload_path(folder: str, filename: str) -> str:
    """A random file name: the name a person gave a file is never used on disk."""
    suffix = Path(filename).suffix.lower()[:6]
    today = timezone.localdate()
    return f"visits/{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def evidence_path(instance: Any, filename: str) -> str:
    return _upload_path("evidence", filename)


def photo_path(instance: Any, filename: str) -> str:
    return _upload_path("photos", filename)


def photo_display_path(instance: Any, filename: str) -> str:
    return _upload_path("photos-display", filename)
