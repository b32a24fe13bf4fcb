"""The test suite: fast password hashing, plain static files, nothing written outside the test database."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES

DEBUG = False
SECRET_KEY = "test-only-not-secret-kongtun"  # noqa: S105
DEMO_DATA_ALLOWED = True
# Published, NOT secret: test-only keys for the national ID encryption and its keyed hash.
NATIONAL_ID_ENCRYPTION_KEYS = [
    "dGVzdC1vbmx5LW5vdC1zZWNyZXQta29uZ3R1bi1pZCE="
]  # b"test-only-not-secret-kongtun-id!"
NATIONAL_ID_HASH_KEY = "test-only-not-secret-kongtun-national-id-hash-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # generate_scale_data: development and benchmarks only
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Serve static files from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Notification emails go to django.core.mail.outbox (the test runner's locmem backend).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NOTIFY_BY_EMAIL = True
