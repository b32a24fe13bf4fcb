from django.core.management.base import BaseCommand
from django.db import transaction

from geography.loader import load_geography
from geography.models import District, Province, Subdistrict


class Command(BaseCommand):
    help = "Load or refresh Thai provinces, districts and subdistricts from the GeoThai data (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            result = load_geography(Province, District, Subdistrict)
        self.stdout.write(
            self.style.SUCCESS(
                f"Geography from GeoThai data {result.data_version}: {result.provinces} provinces, "
                f"{result.districts:,} districts, {result.subdistricts:,} subdistricts "
                f"(database now holds {Province.objects.count()}, {District.objects.count():,}, "
                f"{Subdistrict.objects.count():,})."
            )
        )
