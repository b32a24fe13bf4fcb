"""Loads the GeoThai provinces, districts and subdistricts so that every database starts with them.

`manage.py load_geography` does the same later, for example after upgrading the geothai package.
"""

from django.db import migrations


def load(apps, schema_editor):
    from geography.loader import load_geography

    load_geography(
        apps.get_model("geography", "Province"),
        apps.get_model("geography", "District"),
        apps.get_model("geography", "Subdistrict"),
    )


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
