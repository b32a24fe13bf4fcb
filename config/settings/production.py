"""Production: every secret and host comes from the environment, and the app refuses to start without them."""

import base64
import binascii
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_list

PRODUCTION = True
DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-only", "test-only")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to a random value of at least 50 characters "
        "in production. "
        "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set in the environment in production, as a comma-separated list of host names."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _check_personal_data_keys(encryption_keys: list[str], hash_key: str) -> None:
    """National IDs are personal data: refuse to start without real keys to encrypt and hash them."""
    make_key = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    if not encryption_keys:
        raise ImproperlyConfigured(
            "NATIONAL_ID_ENCRYPTION_KEYS must be set in the environment in production (comma-separated "
            f"Fernet keys, the first one encrypts). Make one with: {make_key}"
        )
    for key in encryption_keys:
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (ValueError, binascii.Error):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                "NATIONAL_ID_ENCRYPTION_KEYS holds a value that is not a Fernet key. "
                f"Make one with: {make_key}"
            )
        if raw.startswith((b"dev-only", b"test-only")):
            raise ImproperlyConfigured(
                "NATIONAL_ID_ENCRYPTION_KEYS holds a published development or test key; use a new key."
            )
    if len(hash_key) < 32 or hash_key.startswith(("dev-only", "test-only")):
        raise ImproperlyConfigured(
            "NATIONAL_ID_HASH_KEY must be set in the environment in production to a random value of at "
            "least 32 characters, different from the other keys, and never changed once IDs are stored. "
            "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if hash_key in encryption_keys or hash_key == SECRET_KEY:
        raise ImproperlyConfigured(
            "NATIONAL_ID_HASH_KEY must differ from SECRET_KEY and the encryption keys."
        )


NATIONAL_ID_ENCRYPTION_KEYS = env_list("NATIONAL_ID_ENCRYPTION_KEYS")
NATIONAL_ID_HASH_KEY = os.environ.get("NATIONAL_ID_HASH_KEY", "")
_check_personal_data_keys(NATIONAL_ID_ENCRYPTION_KEYS, NATIONAL_ID_HASH_KEY)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
