from django.core.management.base import BaseCommand

from visits.notify import recommendations_fallen_overdue


class Command(BaseCommand):
    help = "Tell the editors of each report of its recommendations fallen overdue (once each); run daily."

    def handle(self, *args, **options) -> None:
        written = recommendations_fallen_overdue()
        self.stdout.write(f"{written} notifications written")
