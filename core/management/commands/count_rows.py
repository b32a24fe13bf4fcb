"""Prints the number of rows of every table, one `table count` line each, sorted by table name.

Run it before a backup and after a restore: the two outputs must be identical.
"""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Print the row count of every table (to compare a database with its restored backup)."

    def handle(self, *args, **options) -> None:
        for table, count in table_row_counts(connection).items():
            self.stdout.write(f"{table} {count}")


def table_row_counts(conn) -> dict[str, int]:
    counts = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    return counts
