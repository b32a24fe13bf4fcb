"""Django set up in this process with the production settings (DEBUG off, so the cached template loader;
secure cookies) and throwaway keys, for the bench scripts that time code in-process: bench/pages.py and
bench/schedule.py. A script imports it from its own folder before anything that needs the settings:

    from inprocess import setup_django  # bench/, the script's folder

    ROOT = setup_django(database_url="postgres://postgres@127.0.0.1:5432/kongtun_load")

Imported from the script's folder, not as `bench.inprocess`, so that KONGTUN_ROOT may name another checkout
(an older one, to compare) whose code is then the code that runs.
"""

import os
import sys
import tempfile

from cryptography.fernet import Fernet


def setup_django(*, database_url: str | None = None) -> str:
    """Set up Django with the production settings and fresh throwaway keys; returns the checkout whose code
    runs (KONGTUN_ROOT, else the one holding this file). `database_url` is the database unless DATABASE_URL
    names another; without either, the settings' own default (for a script that needs no database)."""
    root = os.environ.get("KONGTUN_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, root)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-" + "k" * 64,
        NATIONAL_ID_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        NATIONAL_ID_HASH_KEY="bench-" + "h" * 48,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=os.environ.get("STATIC_ROOT", os.path.join(tempfile.gettempdir(), "prof_static")),
    )
    if database_url is not None:
        os.environ.setdefault("DATABASE_URL", database_url)
    import django

    django.setup()
    return root
