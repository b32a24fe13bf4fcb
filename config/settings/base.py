"""Settings shared by every environment. Values that differ between machines come from the environment."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# True only in config.settings.production; seed_demo and other development helpers refuse to run there.
PRODUCTION = False
# Only the development and test settings allow `seed_demo` (its accounts have published passwords).
DEMO_DATA_ALLOWED = False


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# SQLite: a transaction takes the write lock when it begins (Django's `transaction_mode`), so two saves at
# once wait for each other, as PostgreSQL's row locks make them do, instead of both reading, then one failing
# (the same repayment form sent twice at once recorded once, the other answered 500).
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}


def database_from_env(default_sqlite: Path) -> dict:
    """The database named by DATABASE_URL, or the embedded SQLite file when the variable is absent."""
    url = os.environ.get("DATABASE_URL")
    if url is None:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite, "OPTIONS": SQLITE_OPTIONS}
    if not url.strip():
        raise ImproperlyConfigured(
            "DATABASE_URL is set but empty. Unset it to use the embedded SQLite database, "
            "or give a URL such as postgres://user:password@127.0.0.1:5432/kongtun."
        )
    try:
        config = dj_database_url.parse(url.strip(), conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL this project understands ({exc}). "
            "Use postgres://user:password@host:5432/name or sqlite:///path/to/file.sqlite3."
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database. Use postgres://user:password@host:5432/name."
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_filters",
    "axes",
    "csp",
    # Kongtun apps, lowest first: an app may import only from the apps listed before it.
    "core",
    "geography",
    "accounts",
    "centers",
    "households",
    "debts",
    "contracts",
    "visits",
    "dashboards",
    "offline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed at collectstatic
    # Pages gzipped for phones on a slow network (bench/weight.py); Django's own middleware, which pads its
    # output against BREACH. After whitenoise, so static files are not compressed twice.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ThaiFirstLocaleMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the security headers' middlewares, so that its 400 page has them too.
    "core.middleware.RejectNullCharactersMiddleware",
    # An account with a temporary password goes to the password change page first.
    "core.middleware.PasswordChangeRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Pages with personal data, answered with Cache-Control: no-store, private (as is every *_export URL).
PRIVATE_URL_NAMESPACES = ["households", "debts", "contracts"]
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "contracts.context_processors.menu",
                "accounts.context_processors.notifications",
            ],
            "builtins": ["core.templatetags.thai"],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account or address is locked out
    # ModelBackend, reading the user's office area with the user (one query per request).
    "accounts.backends.StaffBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Photos and evidence of monitoring visits (visits/images.py), served only through scoped views. The proxy
# in front of the app must accept request bodies a little larger (nginx: client_max_body_size 12m).
VISITS_MAX_UPLOAD_BYTES = int(os.environ.get("VISITS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
VISITS_MAX_IMAGE_PIXELS = int(os.environ.get("VISITS_MAX_IMAGE_PIXELS", 50_000_000))

# Template fragments ({% cache %}: the parts of base.html and of the forms that are the same for everyone)
# hold this release's static file names and translations: always in each process's own memory, so that a
# restart after a deploy renews them, even where the default cache becomes a shared one.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A form sent with a stale CSRF token answers the site's Thai page (how to send it again), not Django's.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Login throttling (django-axes, accounts/throttling.py): 5 wrong passwords for one username from one client
# address lock that pair out for 15 minutes, and 20 wrong passwords from one address over any usernames lock
# the address; a successful login forgets the pair's count only (not the address's). Behind
# TRUSTED_PROXY_COUNT reverse proxies (nginx: 1) the client address is read from X-Forwarded-For; 0, the
# default, uses REMOTE_ADDR (no proxy).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", 20))
AXES_FAILURE_LIMIT = "accounts.throttling.failure_limit"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip_address"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False

# Content security policy (django-csp): scripts, styles, fonts and images from this site only; no inline
# scripts anywhere. Front-end libraries are vendored under static/ for this reason too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Offline capture (offline/, static/js/offline.js): the pages an officer opened (collection sheet, repayment
# and visit report forms) are kept in the service worker's store on the phone for this many days at most, and
# cleared at logout. The theme colour is the installed app's (the navbar's blue).
OFFLINE_PAGES_MAX_AGE_DAYS = int(os.environ.get("OFFLINE_PAGES_MAX_AGE_DAYS", 7))
OFFLINE_THEME_COLOR = "#0d6efd"
# Household personal data (PDPA). National IDs are encrypted with Fernet: NATIONAL_ID_ENCRYPTION_KEYS is a
# comma-separated list, the first key encrypts and every key decrypts (to rotate, put a new key first).
# NATIONAL_ID_HASH_KEY keys the HMAC-SHA256 used for uniqueness and lookups; it cannot be changed once IDs
# are stored. Development and test settings use fixed, published keys; production requires real ones.
NATIONAL_ID_ENCRYPTION_KEYS = env_list("NATIONAL_ID_ENCRYPTION_KEYS")
NATIONAL_ID_HASH_KEY = os.environ.get("NATIONAL_ID_HASH_KEY", "")
# The privacy notice version offered by default when a household is registered.
PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "1")

# Debt registry: lines above this annual interest rate (%) are flagged (the legal cap for lending).
DEBT_LEGAL_RATE_CAP_PER_YEAR = Decimal(os.environ.get("DEBT_LEGAL_RATE_CAP_PER_YEAR", "15"))
# Excel import of a center's registry: the largest file and the most rows accepted.
HOUSEHOLD_IMPORT_MAX_BYTES = 5 * 1024 * 1024
HOUSEHOLD_IMPORT_MAX_ROWS = 20_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# dashboards.AreaDue keeps one row per due date including "no due date" (NULL), unique with NULLs not
# distinct; SQLite (the embedded development database) cannot declare that, PostgreSQL does.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# Notifications (accounts/notifications.py): a badge always; an email too when an email backend is named
# (EMAIL_BACKEND, with Django's EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "")
NOTIFY_BY_EMAIL = bool(EMAIL_BACKEND)
if not EMAIL_BACKEND:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kongtun@localhost")
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")  # put before the links in emails
