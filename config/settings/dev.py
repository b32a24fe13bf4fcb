"""Local development: `make run`. Never use these settings on a server."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES

DEBUG = True
SECRET_KEY = "dev-only-not-secret-kongtun"  # noqa: S105
DEMO_DATA_ALLOWED = True
# Published, NOT secret: they only protect the fictional demo households. Production requires its own keys.
NATIONAL_ID_ENCRYPTION_KEYS = [
    "ZGV2LW9ubHktbm90LXNlY3JldC1rb25ndHVuLWlkcyE="
]  # b"dev-only-not-secret-kongtun-ids!"
NATIONAL_ID_HASH_KEY = "dev-only-not-secret-kongtun-national-id-hash-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # generate_scale_data: development and benchmarks only
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Serve static files from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# `make run`: notification emails are printed on the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
NOTIFY_BY_EMAIL = True
SITE_URL = "http://127.0.0.1:8000"
