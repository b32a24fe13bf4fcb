"""Check that the dashboards' summary tables equal the ledger; exit status 1 on any difference."""

import time

from django.core.management.base import BaseCommand, CommandError

from dashboards import verify


class Command(BaseCommand):
    help = "Compare the summary tables with a fresh computation and a live SQL recomputation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk-size", type=int, default=500, help="centers read together (500)")
        parser.add_argument("--quiet", action="store_true", help="print only the differences")

    def handle(self, *args, chunk_size: int, quiet: bool, **options) -> None:
        started = time.perf_counter()
        differences = verify.verify(chunk_size=chunk_size, report=self.stderr.write)
        seconds = time.perf_counter() - started
        if differences:
            raise CommandError(f"{len(differences)} differences between the summary tables and the ledger.")
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"The summary tables equal the ledger ({seconds:.1f} s)."))
