"""Helpers shared by the visits models."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
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


class ChecksInOneQuery:
    """Model mixin: `full_clean()` evaluates the model's check constraints in one query, where Django runs a
    query (and, inside a transaction, a savepoint around it) for each. Same checks, same errors in the
    same order; the unique constraints are checked as Django does.
    """

    def validate_constraints(self, exclude: Any = None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        constraints = self.get_constraints()  # type: ignore[attr-defined]
        try:
            passed = _checks_passed(self, constraints, exclude, using)
        except DatabaseError:
            # Django logs the error and lets the check pass: leave it to do exactly that, one by one
            return super().validate_constraints(exclude)  # type: ignore[misc]
        errors: dict[str, Any] = {}
        for model_class, model_constraints in constraints:
            for constraint in model_constraints:
                try:
                    if not isinstance(constraint, models.CheckConstraint):
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                    elif not passed.get((model_class, constraint.name), True):
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                except ValidationError as error:  # as Model.validate_constraints
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _checks_passed(instance: Any, constraints: Any, exclude: Any, using: str) -> dict[tuple[Any, str], bool]:
    """Whether each check constraint holds for the instance's values, from one query per model class
    (what Q.check does for one condition). Constraints on a field left out (`exclude`) are skipped."""
    results = {}
    for model_class, model_constraints in constraints:
        checks = [c for c in model_constraints if isinstance(c, models.CheckConstraint)]
        if not checks:
            continue
        query = Query(None)
        against = instance._get_field_expression_map(meta=model_class._meta, exclude=exclude)
        for name, value in against.items():
            query.add_annotation(
                value if hasattr(value, "resolve_expression") else Value(value), name, select=False
            )
        names = []
        for constraint in checks:
            condition = Coalesce(Q(constraint.condition), True, output_field=models.BooleanField())
            try:
                query.add_annotation(condition, f"_check_{len(names)}")
            except FieldError:
                continue  # as CheckConstraint.validate
            names.append(constraint.name)
        if not names:
            continue
        connection = connections[using]
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
        results.update({(model_class, name): bool(value) for name, value in zip(names, row, strict=True)})
    return results
