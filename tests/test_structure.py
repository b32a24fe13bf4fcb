"""Rules that hold for every model and admin of the project, so that new ones cannot forget them."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.forms import ModelChoiceField

from core.admin import ReferenceAdmin, ScopedAdmin, ScopedChoicesMixin
from core.scoping import CHOICE_RULES, _reference_rule, choices_for, has_choice_rule

PROJECT_APPS = {"core", "geography", "accounts", "centers", "households", "debts", "visits", "contracts",
                "dashboards"}  # fmt: skip
REFERENCE_MODELS = {"geography.Province", "geography.District", "geography.Subdistrict"}  # loaded, not edited
# rebuilt from the records (a receipt series is the last number its receipts used), never edited
DERIVED_MODELS = {
    "dashboards.AreaMonth",
    "dashboards.AreaDue",
    "dashboards.ProvinceDue",
    "dashboards.ProvinceMonth",
    "dashboards.CarriedMonth",
    "contracts.ReceiptSeries",
}
# written by the system as events happen, a log in themselves (only `read_at` changes)
LOG_MODELS = {"accounts.Notification", "accounts.NotificationDelivery"}
UNTRACKED = REFERENCE_MODELS | DERIVED_MODELS | LOG_MODELS


def project_models():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical"):
            yield model


def test_every_model_that_people_edit_keeps_its_history():
    missing = [
        model._meta.label
        for model in project_models()
        if model._meta.label not in UNTRACKED and not hasattr(model, "history")
    ]
    assert not missing, f"add `history = HistoricalRecords()` to {missing}"


def test_every_admin_goes_through_the_scoping_layer():
    from accounts.admin import UserAdmin

    unscoped = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
        and not isinstance(model_admin, ScopedAdmin | ReferenceAdmin | UserAdmin)
    ]
    assert not unscoped, f"admins of {unscoped} must subclass core.admin.ScopedAdmin"


def test_no_admin_deletes_records(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    deletable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS - {"accounts"} and model_admin.has_delete_permission(request)
    ]
    assert not deletable


def admin_forms(request):
    """(admin or inline, a form as it offers it) for every admin of the project and each of its inlines."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        yield model_admin, model_admin.get_form(request)()  # the add form
        unsaved = model()
        yield model_admin, model_admin.get_form(request, unsaved)(instance=unsaved)  # the change form
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            yield inline, inline.get_formset(request)(instance=model()).empty_form


@pytest.mark.django_db
def test_every_admin_choice_goes_through_the_scoping_layer(rf):
    """Every foreign-key and many-to-many choice of every admin form and inline offers a district officer only
    the rows core.scoping.choices_for gives them (the rows they may edit), so an admin cannot link a record
    to another district's. A new relation fails here until its admin uses ScopedChoicesMixin and its model
    has a rule; the demo data (two districts) must hold a row the officer may not choose."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from centers.models import Center, OccupationalGroup

    call_command("seed_demo", verbosity=0)
    sansai = Center.objects.get(village__subdistrict__district="5014")
    OccupationalGroup.objects.create(center=sansai, name="กลุ่มทอผ้า", product="ผ้าทอ")  # the demo has none
    Group.objects.create(name="ผู้ดูแลระบบ")
    request = rf.get("/admin/")
    request.user = User.objects.get(username="officer_mueang")
    problems, checked = [], 0
    for model_admin, form in admin_forms(request):
        where = f"{type(model_admin).__module__}.{type(model_admin).__name__}"
        if not isinstance(model_admin, ScopedChoicesMixin):
            problems.append(f"{where} must use core.admin.ScopedChoicesMixin (or a class built on it)")
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField) or name == form._meta.model._meta.pk.name:
                continue  # an inline's own hidden id is not a choice
            related = field.queryset.model
            if not has_choice_rule(related):
                problems.append(f"{where}.{name}: {related._meta.label} has no rule in core.scoping")
                continue
            checked += 1
            allowed = choices_for(request.user, related)
            reference = CHOICE_RULES.get(related._meta.label) is _reference_rule
            if not reference and not related._default_manager.exclude(pk__in=allowed.values("pk")).exists():
                problems.append(f"{where}.{name}: the demo data has no {related._meta.label} out of scope")
            outside = field.queryset.exclude(pk__in=allowed.values("pk"))
            if outside.exists():
                problems.append(f"{where}.{name} offers {outside.count()} {related._meta.label} out of scope")
    assert checked > 10
    assert not problems, "\n".join(problems)
