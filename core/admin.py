"""The Django admin goes through the same scoping layer as the pages (core.scoping)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
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
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Not yours and does not exist answer the same: 404, as on the pages (Django would redirect).
        raise Http404

    def _visible_or_404(self, request, object_id: str) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the latest historical version when the queryset has no such row,
        # which would show another district's history: check the scoped queryset first.
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

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
