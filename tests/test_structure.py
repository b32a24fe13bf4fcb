"""Rules that hold for every model and admin of the project, so that new ones cannot forget them."""

from django.apps import apps
from django.contrib import admin

from core.admin import ReferenceAdmin, ScopedAdmin

PROJECT_APPS = {"core", "geography", "accounts", "centers", "households", "debts", "visits", "contracts",
                "dashboards"}  # fmt: skip
REFERENCE_MODELS = {"geography.Province", "geography.District", "geography.Subdistrict"}  # loaded, not edited
DERIVED_MODELS = {"dashboards.AreaMonth", "dashboards.AreaDue"}  # rebuilt from the records, never edited


def project_models():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical"):
            yield model


def test_every_model_that_people_edit_keeps_its_history():
    missing = [
        model._meta.label
        for model in project_models()
        if model._meta.label not in REFERENCE_MODELS | DERIVED_MODELS and not hasattr(model, "history")
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
