"""The documented backup and restore path (README, "Backup and restore") works on PostgreSQL:
dump the database with pg_dump, restore it into an empty database with pg_restore, and the restored copy
holds the same rows in every table, and its dashboard summaries still equal a live recomputation. The
uploads are backed up with tar and restored into an empty folder: the restored copy serves a restored
photo, and (with the same keys) reads the national IDs.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from core.management.commands.count_rows import table_row_counts
from households import national_id
from tests.factories import CenterFactory, UserFactory, VillageFactory
from tests.households.factories import HouseholdFactory, make_national_id
from tests.visits.factories import CenterReportFactory, TripFactory, image_bytes, upload
from visits import services as visit_services

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="the backup path is for PostgreSQL (run the suite with DATABASE_URL=postgres://...)",
)


def run(*command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed commands of our own)
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300, check=True
    )


@pytest.mark.django_db(transaction=True)
def test_dump_restore_into_an_empty_database_keeps_every_row(demo_database, tmp_path, media_root):
    # The geography and the demo data, committed (tests/conftest.py), then rows of our own.
    officer = UserFactory(username="officer_a")
    center = CenterFactory(village=VillageFactory(moo=19))  # a village the demo data does not hold
    report = CenterReportFactory(trip=TripFactory(created_by=officer), center=center, author=officer)
    photo = visit_services.photo_add(
        user=officer, report=report, upload=upload("p.jpg", image_bytes(size=(64, 48)))
    )
    household = HouseholdFactory(center=center, national_id=make_national_id(7))
    media_archive = tmp_path / "media.tar.gz"
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    settings = connection.settings_dict
    pg_env = {"PGHOST": settings["HOST"] or "127.0.0.1", "PGPORT": str(settings["PORT"] or 5432),
              "PGUSER": settings["USER"] or "postgres", "PGPASSWORD": settings["PASSWORD"] or ""}  # fmt: skip
    source = settings["NAME"]
    target = f"{source}_restored"
    dump = tmp_path / "kongtun.dump"

    run("pg_dump", "--format=custom", f"--dbname={source}", f"--file={dump}", **pg_env)
    run("tar", "-czf", str(media_archive), "-C", str(media_root), ".")
    run("dropdb", "--if-exists", target, **pg_env)
    run("createdb", target, **pg_env)
    try:
        run("pg_restore", "--no-owner", f"--dbname={target}", str(dump), **pg_env)
        before = table_row_counts(connection)
        url = f"postgres://{pg_env['PGUSER']}:{pg_env['PGPASSWORD']}@{pg_env['PGHOST']}:{pg_env['PGPORT']}/{target}"
        restored = run(
            sys.executable,
            "manage.py",
            "count_rows",
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="config.settings.test",
        )
        after = dict(line.rsplit(" ", 1) for line in restored.stdout.splitlines())
        assert {table: int(count) for table, count in after.items()} == before
        assert before["centers_center"] == 3  # the demo's two and the one with a photo
        assert before["geography_subdistrict"] == 7436
        assert before["dashboards_areamonth"] > 0  # the demo data's summaries came along
        verify = subprocess.run(
            [sys.executable, "manage.py", "verify_rollups"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr

        run("tar", "-xzf", str(media_archive), "-C", str(restored_media))
        opened = run(
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from PIL import Image; from visits.models import ReportPhoto; "
            "from households.models import Household; "
            f"photo = ReportPhoto.objects.get(pk={photo.pk}); image = Image.open(photo.image.open('rb')); "
            f"print(image.size, Household.objects.get(pk={household.pk}).reveal_national_id())",
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            MEDIA_ROOT=str(restored_media),
        )
        # the last line: Django's shell may first say what it imported
        assert opened.stdout.strip().splitlines()[-1].split() == [
            "(64,",
            "48)",
            national_id.formatted(make_national_id(7)),
        ]
    finally:
        run("dropdb", "--if-exists", target, **pg_env)
