"""One settings module, configured from the environment (12-factor).

SQLite by default; ``DATABASE_URL`` selects PostgreSQL for multi-user deployments.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
SECRET_KEY = os.environ.get(
    "SECRET_KEY",
    # Only used for local demo and tests; a deployment must set SECRET_KEY.
    "insecure-local-only-key-set-SECRET_KEY-in-production-0123456789",
)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks",
    "django_tasks_db",
    # Serves the API docs (Swagger UI) from local static files rather than a CDN.
    "ninja",
    "commissioning.accounts",
    "commissioning.directory",
    "commissioning.exercises",
    "commissioning.outcomes_web",
    "commissioning.procurement",
    "commissioning.clarifications",
    "commissioning.notifications",
    "commissioning.contracts",
    "commissioning.audit",
    "commissioning.web",
    "commissioning.demo",
    "commissioning.engagement",
    "commissioning.partnering",
    "commissioning.bids",
    "commissioning.evaluation",
    "commissioning.awards",
]

MIDDLEWARE = [
    "commissioning.middleware.RefuseUnknownHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
WSGI_APPLICATION = "commissioning.wsgi.application"

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
                "commissioning.web.context_processors.site",
                "commissioning.notifications.context_processors.unread_notifications",
            ],
            "builtins": ["commissioning.web.templatetags.layout"],
        },
    },
]

SQLITE_PATH = os.environ.get("SQLITE_PATH", str(REPO_DIR / "var" / "commissioning.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web server reads (make demo runs both).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Background work runs in a database-backed queue (ADR 0003); tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@commissioning.invalid")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)

# The synthetic demo market is labelled as such on every page that shows it.
SERVICE_NAME = "Commissioning"
PAGE_SIZE = 25

# Procurement timeline policy (PRO-3, PRO-4): the analytics core's TimelinePolicy settings.
PROCUREMENT_MIN_BID_WINDOW_WEEKS = 8
PROCUREMENT_CONSORTIUM_EXTRA_WEEKS = 4
PROCUREMENT_WORKING_DAYS_AFTER_ANSWERS = 10
# Award (PRO-9): the standstill between the award notice (UK6) and the contract, in working days
# (England and Wales bank holidays); the Procurement Act 2023 minimum is 8.
AWARD_STANDSTILL_WORKING_DAYS = 8

# Sealed bids (PRO-8, ADR 0006): the key-encryption key, 32 random bytes as URL-safe base64
# (python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())").
# Without it a fixed development key is used only with DEBUG, under pytest, or where
# BID_SEALING_ALLOW_DEV_KEY=1 (the local demo); anywhere else bids cannot be sealed or opened.
BID_SEALING_KEY = os.environ.get("BID_SEALING_KEY", "")
BID_SEALING_ALLOW_DEV_KEY = (
    DEBUG or "pytest" in __import__("sys").modules or _env_bool("BID_SEALING_ALLOW_DEV_KEY", False)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Uploaded outcome cohorts hold personal data (person id, sex, age, ethnicity, offence history;
# issue 13 item 3). 0 (the default): a cohort is deleted as soon as its study finishes, keeping
# only the aggregate result. N > 0: finished studies keep their cohort for N days after upload,
# then `commissioning outcomes purge` (run daily) deletes it. See docs/outcomes.md.
OUTCOME_COHORT_RETENTION_DAYS = int(os.environ.get("OUTCOME_COHORT_RETENTION_DAYS", "0"))
