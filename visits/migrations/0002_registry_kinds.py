"""The registries a community fund management center should keep (the checklist of a visit report)."""

from django.db import migrations

from visits.registries import ensure_standard_registry_kinds


def add_kinds(apps, schema_editor):
    ensure_standard_registry_kinds(apps.get_model("visits", "RegistryKind"))


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
