"""Fills the database with the demo records of every app, in the order of INSTALLED_APPS.

Each app that has demo data gives a module `<app>/demo.py` with a function `seed(stdout, today)` that is
safe to run again (it finds its records by natural keys and never duplicates them). `today` (the `--date`
option, by default today) is the day the demo history runs up to: the contracts are signed a year or two
before it and repaid until it. Tests pin it (and the clock, with time-machine) where it matters.
"""

from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core import events


class Command(BaseCommand):
    help = "Load the demo centers, villages and one login per role (development only; idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="The day the demo history runs up to, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION or not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo refuses to run with production settings: demo accounts have published "
                "passwords and must never reach a real server."
            )
        today = options["date"] or timezone.localdate()
        with transaction.atomic(), events.batch():  # one refresh per center, at the end
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(self.stdout, today)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
