"""The Django admin goes through the same scoping layer as the pages (core.scoping)."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.scoping import can_create


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin for a model whose queryset is a ScopedQuerySet.

    Staff see the rows of their jurisdiction, only admins and district officers add or change them, and
    nobody deletes: records are corrected, and every change is in the history. Foreign-key choices are
    limited to rows the user may edit.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return request.user.is_staff and can_create(request.user)

    def has_change_permission(self, request, obj: Any = None) -> bool:
        if not self.has_add_permission(request):
            return False
        if obj is None:
            return True
        return self.model._default_manager.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        queryset = kwargs.get("queryset", related._default_manager.all())
        if hasattr(queryset, "editable_by"):
            kwargs["queryset"] = queryset.editable_by(request.user)
        elif related._meta.label == "geography.Subdistrict" and not request.user.is_superuser:
            kwargs["queryset"] = queryset.filter(district_id=request.user.district_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceAdmin(admin.ModelAdmin):
    """Reference data loaded by a command: every staff member reads it, only superusers change it."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj: Any = None) -> bool:
        return False
