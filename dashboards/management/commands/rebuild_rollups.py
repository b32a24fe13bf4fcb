"""Empty the dashboards' summary tables and recompute them from the ledger (or only carry stale centers)."""

from django.core.management.base import BaseCommand

from dashboards import rollups


class Command(BaseCommand):
    help = "Recompute the dashboards' summary tables from the ledger, in chunks of centers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk-size", type=int, default=500, help="centers read together (500)")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="only refresh the centers whose rows stop before the current month (run early each month)",
        )

    def handle(self, *args, chunk_size: int, stale: bool, **options) -> None:
        if stale:
            count = rollups.refresh_stale(report=self.stdout.write)
            self.stdout.write(f"Refreshed {count} centers into the current month.")
            return
        self.stdout.write("Rebuilding the summary tables from the ledger…")
        result = rollups.rebuild(chunk_size=chunk_size, report=self.stdout.write)
        ancestors = result["ancestor_rows"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {result['centers']} centers: {result['center_rows']} center-month rows, "
                f"{result['center_due_rows']} due-date rows; {ancestors['district']} district, "
                f"{ancestors['province']} province and {ancestors['nation']} nation rows "
                f"in {result['seconds']} s."
            )
        )
