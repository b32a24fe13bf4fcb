"""Local development: `make run`. Never use these settings on a server."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = True
SECRET_KEY = "dev-only-not-secret-kongtun"  # noqa: S105
DEMO_DATA_ALLOWED = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Serve static files from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
