"""The Django admin goes through the same scoping layer as the pages (core.scoping)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.scoping import can_create, choices_for

OUT_OF_SCOPE_CHOICE = _(
    "This choice is not among the records you may use (those of your own area): choose again from the list."
)


def _explained(formfield):
    """A choice refused because it is out of the user's scope says so (Django's says only "invalid")."""
    if formfield is not None:
        formfield.error_messages["invalid_choice"] = OUT_OF_SCOPE_CHOICE
    return formfield


class ScopedChoicesMixin:
    """Every foreign-key and many-to-many choice of an admin form or inline (select, autocomplete or raw id)
    holds only the rows the user may edit (core.scoping.choices_for), through Django's hooks: the form field's
    queryset is what the form validates against, so a posted id out of the user's scope is refused as an
    invalid choice and nothing is saved. tests/test_structure.py checks every admin and inline uses it.
    """

    def get_field_queryset(self, db, db_field, request):
        # Called by formfield_for_foreignkey and formfield_for_manytomany when no queryset is given; Django
        # answers None for "the default manager", or the related admin's ordering.
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return choices_for(request.user, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" in kwargs:  # an admin narrowed the choices itself: still no wider than the scope
            kwargs["queryset"] = choices_for(request.user, kwargs["queryset"])
        return _explained(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" in kwargs:
            kwargs["queryset"] = choices_for(request.user, kwargs["queryset"])
        return _explained(super().formfield_for_manytomany(db_field, request, **kwargs))

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete view of a relation searches the related model's admin: the same choices there.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = choices_for(request.user, queryset)
        return queryset, may_have_duplicates


class ScopedTabularInline(ScopedChoicesMixin, admin.TabularInline):
    pass


class ScopedStackedInline(ScopedChoicesMixin, admin.StackedInline):
    pass


class ScopedAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    """Admin for a model whose queryset is a ScopedQuerySet.

    Staff see the rows of their jurisdiction, only admins and district officers add or change them, and
    nobody deletes: records are corrected, and every change is in the history. Foreign-key and many-to-many
    choices are limited to rows the user may edit (ScopedChoicesMixin).
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


class ReferenceAdmin(ScopedChoicesMixin, admin.ModelAdmin):
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
