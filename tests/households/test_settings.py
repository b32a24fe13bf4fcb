"""Production refuses to start without real keys for the national IDs, like it does without SECRET_KEY."""

import base64

import pytest

from tests.core.test_settings import PERSONAL_DATA_KEYS, run_manage

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 30 + "-production-like-secret-value-xyz",
    "ALLOWED_HOSTS": "kongtun.example",
}
DEV_KEY = base64.urlsafe_b64encode(b"dev-only-not-secret-kongtun-ids!").decode()


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            {"NATIONAL_ID_HASH_KEY": PERSONAL_DATA_KEYS["NATIONAL_ID_HASH_KEY"]},
            "NATIONAL_ID_ENCRYPTION_KEYS must be set",
        ),
        ({**PERSONAL_DATA_KEYS, "NATIONAL_ID_ENCRYPTION_KEYS": "not-a-key"}, "is not a Fernet key"),
        ({**PERSONAL_DATA_KEYS, "NATIONAL_ID_ENCRYPTION_KEYS": DEV_KEY}, "published development or test key"),
        (
            {"NATIONAL_ID_ENCRYPTION_KEYS": PERSONAL_DATA_KEYS["NATIONAL_ID_ENCRYPTION_KEYS"]},
            "NATIONAL_ID_HASH_KEY must be set",
        ),
        ({**PERSONAL_DATA_KEYS, "NATIONAL_ID_HASH_KEY": "short"}, "NATIONAL_ID_HASH_KEY must be set"),
        (
            {
                **PERSONAL_DATA_KEYS,
                "NATIONAL_ID_HASH_KEY": "dev-only-not-secret-kongtun-national-id-hash-key",
            },
            "NATIONAL_ID_HASH_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_real_national_id_keys(keys, message, monkeypatch):
    for name in PERSONAL_DATA_KEYS:
        monkeypatch.delenv(name, raising=False)
    result = run_manage("check", **PRODUCTION, **keys)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_real_keys(tmp_path, monkeypatch):
    for name in PERSONAL_DATA_KEYS:
        monkeypatch.delenv(name, raising=False)
    result = run_manage(
        "check", **PRODUCTION, **PERSONAL_DATA_KEYS, DATABASE_URL=f"sqlite:///{tmp_path}/p.sqlite3"
    )
    assert result.returncode == 0, result.stderr
