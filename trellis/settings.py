"""Trellis settings, read from the environment (see docs/configuration.md)."""

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets the admin's generic classes (ModelAdmin[Model]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Test settings (MD5 hashing, no Secure cookies, no HSTS, the development keys accepted) are
# for the test runner only: they follow from pytest being loaded, never from the environment.
TESTING = "pytest" in sys.modules


def env(name: str, default: str = "") -> str:
    """Read a setting from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "trellis-development-key-never-use-in-production"  # noqa: S105
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEMO = env_bool("TRELLIS_DEMO", default=False)
if "TRELLIS_TESTING" in os.environ and not (DEBUG and TESTING):
    # An old switch for test settings. Set by hand on a server it would weaken hashing and
    # transport security, so it is refused unless DEBUG is on under the test runner.
    raise ImproperlyConfigured(
        "TRELLIS_TESTING is set. Test settings follow from the test runner alone; remove "
        "TRELLIS_TESTING from the environment (see docs/configuration.md)."
    )
if not DEBUG and not DEMO and not TESTING and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key while DEBUG is off. "
        "Set SECRET_KEY or SECRET_KEY_FILE (see docs/configuration.md)."
    )

# Field-level encryption of clinical text and answers (trellis/lib/crypto.py): Fernet keys,
# newest first.
# The development key is public (it is in this file): refused like the development SECRET_KEY.
# Type checking imports these settings without running anything, so it is exempt too.
DEVELOPMENT_ENCRYPTION_KEY = "atScRUs5khjlgNYOJz0sRvTKnGtPlMR1mKQ2sI6wqLo="
TRELLIS_ENCRYPTION_KEYS = env_list("TRELLIS_ENCRYPTION_KEYS", DEVELOPMENT_ENCRYPTION_KEY)
if (
    not DEBUG
    and not DEMO
    and not TESTING
    and "mypy" not in sys.modules
    and DEVELOPMENT_ENCRYPTION_KEY in TRELLIS_ENCRYPTION_KEYS
):
    raise ImproperlyConfigured(
        "TRELLIS_ENCRYPTION_KEYS uses the development key while DEBUG is off. "
        "Set TRELLIS_ENCRYPTION_KEYS or TRELLIS_ENCRYPTION_KEYS_FILE (see docs/configuration.md)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "trellis.lib",
    "trellis.accounts",
    "trellis.audit",
    "trellis.programs",
    "trellis.directory",
    "trellis.participants",
    "trellis.privacy",
    "trellis.worklist",
    "trellis.notifications",
    "trellis.measures",
    "trellis.scheduling",
    "trellis.plans",
    "trellis.practice",
    "trellis.notes",
    "trellis.meetings",
    "trellis.transitions",
    "trellis.intake",
    "trellis.messaging",
    "trellis.peers",
    "trellis.compliance",
    "trellis.portal",
    "trellis.finder",
    "trellis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trellis.lib.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "trellis.accounts.middleware.IdleTimeoutMiddleware",
    "trellis.accounts.middleware.NoStoreMiddleware",
    "trellis.participants.middleware.OrganizationTimeZoneMiddleware",
    "trellis.participants.middleware.ParticipantLanguageMiddleware",
    "trellis.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "trellis.urls"
WSGI_APPLICATION = "trellis.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["trellis.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "trellis.navigation.navigation",
            ],
        },
    },
]

# Database: SQLite (WAL, busy timeout, immediate transactions) unless DATABASE_URL says otherwise.
SQLITE_PATH = Path(env("TRELLIS_SQLITE_PATH", str(BASE_DIR / "var" / "trellis.sqlite3")))
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=60,
            # Behind pgbouncer in transaction pooling, server-side cursors (used by streaming
            # exports) must be off.
            disable_server_side_cursors=env_bool(
                "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
            ),
        )
    }
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers wait (timeout)
                # instead of failing with "database is locked" half-way through.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests use a file too, not Django's in-memory default: browser tests run a live
            # server thread beside the test, and only a file database lets a second writer
            # wait (busy timeout) as it does in production, instead of failing at once.
            "TEST": {"NAME": str(SQLITE_PATH.parent / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; MD5 keeps them fast. Never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: idle timeout (HIPAA automatic logoff) and sign-in throttling.
TRELLIS_IDLE_TIMEOUT_MINUTES = int(env("TRELLIS_IDLE_TIMEOUT_MINUTES", "15"))
TRELLIS_SIGNIN_MAX_FAILURES = int(env("TRELLIS_SIGNIN_MAX_FAILURES", "5"))
TRELLIS_SIGNIN_WINDOW_MINUTES = int(env("TRELLIS_SIGNIN_WINDOW_MINUTES", "15"))
TRELLIS_SIGNIN_LOCK_MINUTES = int(env("TRELLIS_SIGNIN_LOCK_MINUTES", "15"))
TRELLIS_PASSWORD_RESET_PER_EMAIL_PER_HOUR = int(
    env("TRELLIS_PASSWORD_RESET_PER_EMAIL_PER_HOUR", "3")
)
TRELLIS_PASSWORD_RESET_PER_ADDRESS_PER_HOUR = int(
    env("TRELLIS_PASSWORD_RESET_PER_ADDRESS_PER_HOUR", "20")
)
TRELLIS_API_TOKEN_MAX_DAYS = int(env("TRELLIS_API_TOKEN_MAX_DAYS", "90"))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
if not DEBUG and not DEMO and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Email (Django 6.1 mailers): console in development and the demo; SMTP when EMAIL_HOST is set.
# Messages never carry health information (docs/engineering.md).
EMAIL_HOST_SETTING = env("EMAIL_HOST", "")
if EMAIL_HOST_SETTING:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST_SETTING,
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Trellis <no-reply@trellis.invalid>")

# Text messages (trellis/lib/sms.py): a backend class, like the mailers. Tests keep them in
# memory, development and the demo print them; production sends none until one is configured.
TRELLIS_SMS_BACKEND = env(
    "TRELLIS_SMS_BACKEND",
    "trellis.lib.sms.LocmemBackend"
    if TESTING
    else ("trellis.lib.sms.ConsoleBackend" if DEBUG or DEMO else "trellis.lib.sms.DisabledBackend"),
)
# How long a participant's invitation link works (docs/portal.md, "Accounts").
TRELLIS_INVITATION_HOURS = int(env("TRELLIS_INVITATION_HOURS", "72"))

LANGUAGE_CODE = "en"
# Participant pages in English or Spanish (docs/portal.md, "Spanish"): the language is the
# participant's own (`Participant.language`), or the language cookie when signed out, set by
# the switcher; staff pages stay English. The catalog is committed: locale/es/LC_MESSAGES.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "trellis_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = not (DEBUG or DEMO or TESTING)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# WhiteNoise serves static files from the app processes (no separate file server needed).
# Production runs `manage.py collectstatic`; the demo and tests serve from the source folders.
WHITENOISE_USE_FINDERS = DEBUG or DEMO or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or DEMO
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# Logs never carry health information: only request lines, status codes and exception types.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "redacting": {
            "()": "trellis.lib.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "redacting"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request errors log the path (public ids only) and a redacted traceback.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # runserver's request lines, through the redacting formatter (no query strings).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

TRELLIS_PAGE_SIZE = 25

# Clinical thresholds a program may tune (docs/configuration.md).
TRELLIS_BASE_URL = env("TRELLIS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
TRELLIS_ALERT_ESCALATION_MINUTES = int(env("TRELLIS_ALERT_ESCALATION_MINUTES", "120"))
TRELLIS_ATTENDANCE_CONSECUTIVE_UNEXCUSED = int(env("TRELLIS_ATTENDANCE_CONSECUTIVE_UNEXCUSED", "2"))
TRELLIS_ATTENDANCE_ABSENCES_IN_WINDOW = int(env("TRELLIS_ATTENDANCE_ABSENCES_IN_WINDOW", "3"))
TRELLIS_ATTENDANCE_WINDOW_DAYS = int(env("TRELLIS_ATTENDANCE_WINDOW_DAYS", "14"))

# Background work: Django's task framework with the database backend (no extra server).
# `make demo` runs `manage.py db_worker` (runs tasks) and `manage.py run_clock` (enqueues
# periodic sweeps, see trellis/lib/periodic.py). Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Behind reverse proxies: the header (e.g. HTTP_X_FORWARDED_FOR) and how many proxies of
# yours append to it. The client address is the one the outermost trusted proxy added, counted
# from the right; whatever the client sent itself is further left and ignored.
TRELLIS_CLIENT_ADDR_HEADER = env("TRELLIS_CLIENT_ADDR_HEADER", "")
TRELLIS_TRUSTED_PROXY_COUNT = int(env("TRELLIS_TRUSTED_PROXY_COUNT", "1"))
