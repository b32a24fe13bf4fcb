import os
import sqlite3
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.factories import LAMPANG, SAN_SAI, UserFactory

# Hypothesis: the same examples on every CI run (a failure there is reproducible, never a fluke of the
# seed), no deadline on shared cores and no example database left behind; the random default elsewhere.
# A test's own @settings(max_examples=...) still wins over the profile's.
hypothesis_settings.register_profile(
    "ci", derandomize=True, max_examples=50, deadline=None, database=None, print_blob=True
)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


# ---------------------------------------------------------------------------------------------------------
# Another day: `TESTS_TODAY=2028-02-29 pytest ...` runs the suite as if that were today (time-machine,
# the clock still ticking), to find tests that pass only on some days. Tests that depend on the date pin
# it themselves with the `time_machine` fixture, which wins over this.
def pytest_configure(config):
    today = os.environ.get("TESTS_TODAY")
    if today:
        traveller = time_machine.travel(date.fromisoformat(today), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    today = os.environ.get("TESTS_TODAY")
    return f"TESTS_TODAY={today}: the suite runs as if today were {today}" if today else None


# ---------------------------------------------------------------------------------------------------------
# Copies of the test database. Transactional tests (the live server's browser tests, the PostgreSQL lock
# tests, the backup) commit, and pytest-django empties every table after each, geography included. Instead
# of loading the geography and the demo data again, each worker copies its test database once (after the
# migrations: geography; then with the demo data) and restores a copy in one step: SQLite's backup API
# for the in-memory database; on PostgreSQL, tables copied into a schema of the test database and back
# (no DROP DATABASE, which forces a checkpoint of the whole server on PostgreSQL 15).
class DatabaseCopies:
    def __init__(self, blocker):
        self.blocker = blocker  # pytest-django's django_db_blocker, for the hook below
        self.names = {}  # copy name -> sqlite3 connection, or PostgreSQL schema

    def take(self, name: str) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            copy = self.names.get(name) or sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
        else:
            copy = f"test_copy_{name}"
            statements = [f"DROP SCHEMA IF EXISTS {copy} CASCADE", f"CREATE SCHEMA {copy}"]
            statements += [f"CREATE TABLE {copy}.{table} AS TABLE public.{table}" for table in self._tables()]
            self._execute(statements)
        self.names[name] = copy

    def restore(self, name: str) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.names[name].backup(connection.connection)
            return
        copy, tables = self.names[name], self._tables()
        # DELETE rather than TRUNCATE: the tables are small (pytest-django has just flushed them), and a
        # TRUNCATE of every table costs seconds on a busy server.
        statements = [f"DELETE FROM public.{table}" for table in tables]  # noqa: S608
        statements += [f"INSERT INTO public.{table} SELECT * FROM {copy}.{table}" for table in tables]  # noqa: S608
        models = apps.get_models(include_auto_created=True)
        statements += connection.ops.sequence_reset_sql(no_style(), models)
        self._execute(statements)  # one transaction: Django's foreign keys are deferred, any order will do

    def drop(self) -> None:
        if connection.vendor == "sqlite":
            for copy in self.names.values():
                copy.close()
        else:
            self._execute([f"DROP SCHEMA IF EXISTS {copy} CASCADE" for copy in self.names.values()])
        self.names.clear()

    @staticmethod
    def _tables() -> list[str]:
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        return [connection.ops.quote_name(table) for table in sorted(tables)]

    @staticmethod
    def _execute(statements: list[str]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


_copies: DatabaseCopies | None = None  # this worker's copies, while its test database exists


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, copied once right after the migrations (geography included)."""
    global _copies
    with django_db_blocker.unblock():
        _copies = DatabaseCopies(django_db_blocker)
        _copies.take("migrated")
    yield
    with django_db_blocker.unblock():
        _copies.drop()
    _copies = None


@pytest.fixture
def migrated_sqlite_file(django_db_setup, tmp_path):
    """A file holding what the worker's SQLite test database held right after the migrations, for programs
    started by a test (the two app servers), instead of migrating a new file again (about 30 s)."""
    if connection.vendor != "sqlite":
        pytest.skip("the migrated copy is an SQLite database only in the SQLite run")
    path = tmp_path / "migrated.sqlite3"
    target = sqlite3.connect(path)
    try:
        _copies.names["migrated"].backup(target)
    finally:
        target.close()
    return path


@pytest.fixture
def demo_database(transactional_db):
    """The geography and the demo data of `seed_demo`, committed (for the live server): the worker seeds
    them once, then each test starts from a copy. The test may write; the next one gets a fresh copy."""
    if "demo" in _copies.names:
        _copies.restore("demo")
    else:
        _copies.restore("migrated")  # a committing test before this one may have emptied the geography
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        _copies.take("demo")


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """One transaction around a module's tests, rolled back after its last test: module-scoped fixtures
    that depend on this one build their rows once (inside `django_db_blocker.unblock()`), and each test,
    which still asks for `db`, runs in a savepoint of it, so what a test writes is gone for the next one,
    as Django's TestCase does for `setUpTestData`. Only for tests that do not commit (pytest-django runs
    those after the others, once this module's transaction is closed). Uploads made while building go to
    a folder of the module, which the tests of the module keep as MEDIA_ROOT (see `media_root`)."""
    committing = [
        item.name for item in request.session.items if _module_of(item) is request.module and _commits(item)
    ]
    if committing:  # it would run inside the module's open transaction
        pytest.fail(f"module_db in a module with tests that commit: {committing}", pytrace=False)
    media = tmp_path_factory.mktemp("module-media")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=media):
        with django_db_blocker.block():
            yield media
        transaction.set_rollback(True)


def _module_of(item: pytest.Item):
    return getattr(item, "module", None)


def _commits(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests marked `early` first. pytest-django (whose ordering runs before this) puts the tests that use
    no test database last, where one that takes a minute (the load test, the two app servers) would keep one
    worker busy alone at the end of the run. Only such tests may be early: pytest-django's order of the
    others (the tests that commit after those that do not) stays as it is."""
    for item in items:
        if item.get_closest_marker("early") and (
            item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(item.fixturenames)
        ):
            pytest.fail(f"{item.nodeid}: an early test must not use the test database", pytrace=False)
    items.sort(key=lambda item: item.get_closest_marker("early") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that committed (and pytest-django's flush), the database after the migrations comes
    back, geography included, for whichever test follows (unless it takes the demo copy anyway)."""
    result = yield
    follows = getattr(nextitem, "fixturenames", None)
    if _copies is not None and follows is not None and _commits(item) and "demo_database" not in follows:
        with _copies.blocker.unblock():
            _copies.restore("migrated")
    return result


@pytest.fixture(autouse=True)
def thai_first():
    """Each test starts in Thai, as a request without a language cookie does: a request in English leaves
    its language active in the thread (ThaiFirstLocaleMiddleware activates, like Django's LocaleMiddleware),
    which would otherwise reach the next test on the same worker."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Uploads go to a temporary folder, never to the project's media/: the module's folder for a test
    on data built once for its module (`module_db`), whose uploads it must be able to read."""
    uses_module_db = "module_db" in request.fixturenames
    settings.MEDIA_ROOT = request.getfixturevalue("module_db") if uses_module_db else tmp_path / "media"
    return settings.MEDIA_ROOT


# The three actors and the others of the fixtures below, as factory arguments (also for `module_user`).
PEOPLE = {
    "officer": {"username": "officer_a"},
    "provincial": {"username": "province_cm", "provincial": True},
    "national": {"username": "department", "national": True},
    "superuser": {"username": "root", "admin": True},
    "outsider": {"username": "officer_b", "district_id": SAN_SAI},
    "other_province": {"username": "province_lp", "provincial": True, "province_id": LAMPANG},
}


@pytest.fixture
def officer(db):
    """A district officer of Mueang Chiang Mai (district A): edits there."""
    return UserFactory(**PEOPLE["officer"])


@pytest.fixture
def provincial(db):
    """Provincial staff of Chiang Mai: reads district A and B, edits nothing."""
    return UserFactory(**PEOPLE["provincial"])


@pytest.fixture
def national(db):
    return UserFactory(**PEOPLE["national"])


@pytest.fixture
def superuser(db):
    return UserFactory(**PEOPLE["superuser"])


@pytest.fixture
def outsider(db):
    """A district officer of San Sai (district B, same province)."""
    return UserFactory(**PEOPLE["outsider"])


@pytest.fixture
def other_province(db):
    """Provincial staff of Lampang."""
    return UserFactory(**PEOPLE["other_province"])


def module_user(name: str):
    """The fixture `name` above made once for a module on `module_db`; in the module:
    `officer = module_user("officer")` (the tests then share one officer, as they share the module's rows)."""

    @pytest.fixture(scope="module", name=name)
    def person(module_db, django_db_blocker):
        with django_db_blocker.unblock():
            return UserFactory(**PEOPLE[name])

    return person
