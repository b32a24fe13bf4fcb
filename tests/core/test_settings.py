"""Configuration errors are caught at start-up with a message that says what to do."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import database_from_env

ROOT = Path(__file__).resolve().parents[2]
# Production also requires the national ID keys (tests/households/test_settings.py: it refuses without).
PERSONAL_DATA_KEYS = {
    "NATIONAL_ID_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLXRlc3Q=",
    "NATIONAL_ID_HASH_KEY": "production-like-hash-key-for-the-settings-test",
}


def test_no_database_url_means_embedded_sqlite(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "db.sqlite3"
    # Each transaction takes the write lock when it begins, so two saves at once wait for each other.
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_sqlite_url_gets_the_same_locking(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert database_from_env(tmp_path / "db.sqlite3")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_is_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://kongtun:secret@db.example:5433/kongtun")
    config = database_from_env(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.example",
        5433,
        "kongtun",
        "kongtun",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [("", "set but empty"), ("   ", "set but empty"), ("nosuchdb://x/y", "not a database URL")],
)
def test_bad_database_url_is_explained(monkeypatch, tmp_path, url, message):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_env(tmp_path / "db.sqlite3")


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="x.example"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_deploy_check_is_clean(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 30 + "-production-like-secret-value-xyz",
        ALLOWED_HOSTS="kongtun.example",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        **PERSONAL_DATA_KEYS,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_refuses_production_settings(tmp_path):
    result = run_manage(
        "seed_demo",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 30 + "-production-like-secret-value-xyz",
        ALLOWED_HOSTS="kongtun.example",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        **PERSONAL_DATA_KEYS,
    )
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr
    assert not (tmp_path / "prod.sqlite3").exists() or "Demo data is in place" not in result.stdout


def test_malformed_database_url_stops_manage_py_with_a_message():
    result = run_manage("check", DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASE_URL is set but empty" in result.stderr
