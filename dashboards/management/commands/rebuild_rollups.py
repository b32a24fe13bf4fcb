"""Empty the dashboards' summary tables and recompute them from the ledger."""

from django.core.management.base import BaseCommand

from dashboards import rollups


class Command(BaseCommand):
    help = "Recompute the dashboards' summary tables from the ledger, in chunks of centers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk-size", type=int, default=500, help="centers read together (500)")

    def handle(self, *args, chunk_size: int, **options) -> None:
        self.stdout.write("Rebuilding the summary tables from the ledger…")
        result = rollups.rebuild(chunk_size=chunk_size, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {result['centers']} centers: {result['center_rows']} center-month rows, "
                f"{result['center_due_rows']} due-date rows; {result['district_rows']} district rows "
                f"in {result['seconds']} s."
            )
        )
