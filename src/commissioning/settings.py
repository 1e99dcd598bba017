"""One settings module, configured from the environment (12-factor).

SQLite by default; ``DATABASE_URL`` selects PostgreSQL for multi-user deployments.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from commissioning.bids.sealing import SealingError, decode_key

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_bool("DEBUG", False)

# ---------------------------------------------------------------- keys (fail safe, issue 13)
# Nothing secret is committed: without SECRET_KEY and a bid-sealing key the platform refuses to
# start, whatever DEBUG says. Development, the demo and the tests ask for the development sealing
# key explicitly (BID_SEALING_ALLOW_DEV_KEY=1: scripts/demo.sh, commissioning.settings_dev).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: the platform will not start without its own secret key. Set "
        'SECRET_KEY to at least 50 random characters (python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"); for development use '
        "DJANGO_SETTINGS_MODULE=commissioning.settings_dev. See docs/deployment.md."
    )

# Sealed bids (PRO-8, ADR 0006): the key-encryption key, 32 random bytes as URL-safe base64
# (python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())").
# The fixed development key (committed, so it protects nothing) is used only where
# BID_SEALING_ALLOW_DEV_KEY=1 is set explicitly; it is never inferred. Key custody and
# rotation: docs/keys.md.
BID_SEALING_KEY = os.environ.get("BID_SEALING_KEY", "")
BID_SEALING_ALLOW_DEV_KEY = _env_bool("BID_SEALING_ALLOW_DEV_KEY", False)
if BID_SEALING_KEY:
    try:
        decode_key(BID_SEALING_KEY)
    except SealingError as error:
        raise ImproperlyConfigured(f"BID_SEALING_KEY is not a usable key: {error}") from error
elif not BID_SEALING_ALLOW_DEV_KEY:
    raise ImproperlyConfigured(
        "BID_SEALING_KEY is not set: the platform will not start without the key that seals "
        "bids. Set BID_SEALING_KEY to the deployment's key (32 random bytes, URL-safe base64; "
        "see docs/keys.md). Only a local demo or the tests may instead set "
        "BID_SEALING_ALLOW_DEV_KEY=1 to use the development key, which is public."
    )

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# The address people reach the platform at, scheme included: emails carry absolute links built
# on it (notifications.links.absolute_url), and it is the origin CSRF trusts.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

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
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "commissioning.accounts",
    "commissioning.directory",
    "commissioning.exercises",
    "commissioning.outcomes_web",
    "commissioning.procurement",
    "commissioning.clarifications",
    "commissioning.notifications",
    "commissioning.contracts",
    "commissioning.audit",
    # The shared kernel (forms, pagination, layout tags, widgets); web is the home page.
    "commissioning.kernel",
    "commissioning.web",
    "commissioning.demo",
    "commissioning.engagement",
    "commissioning.partnering",
    "commissioning.bids",
    "commissioning.evaluation",
    "commissioning.awards",
    "commissioning.service_accounts",
    "commissioning.supplier_information",
    "commissioning.escalations",
    "commissioning.mediation",
    "commissioning.delivery_checks",
    "csp",
    # Sign-in throttling and lockout (issue 13): see the "Sign-in and accounts" block below.
    "axes",
    "commissioning.invoices",
    "commissioning.grants",
    "commissioning.referrals",
    "commissioning.supply_returns",
    "commissioning.monitoring",
    "commissioning.supply_survey",
    "commissioning.social_value",
    "commissioning.stewardship",
    "commissioning.ringfences",
    "commissioning.concerns",
    "commissioning.alerts",
    "commissioning.guides",
    "commissioning.equality",
    "commissioning.standards",
    "commissioning.reviews",
]

MIDDLEWARE = [
    "commissioning.middleware.RefuseUnknownHostMiddleware",
    # Anonymous concerns (SUP-5): first after the host check, so that nothing below sees a
    # reporter's address, user agent or session cookie (concerns/anonymity.py).
    "commissioning.concerns.anonymity.AnonymousRouteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # What a request has read already, kept until it writes (requestmemo.py).
    "commissioning.requestmemo.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "commissioning.accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sign-in and accounts (issue 13): a throttled form answers 429 with a page (or JSON on the
    # API); AxesMiddleware stays last so that it sees the lockout flag its signal handler sets.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",
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
            "builtins": ["commissioning.kernel.templatetags.layout"],
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters sent apart from the statement, and a statement run more than five times on a
    # connection prepared there, so PostgreSQL parses and plans it once (ADR 0012). Off for a
    # pooler that cannot keep prepared statements (PgBouncer in transaction mode).
    DATABASES["default"]["ENGINE"] = "commissioning.postgresql"  # keeps to the parameter limit
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
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
    # Length over complexity (NCSC password guidance): at least 12 characters, no rules about
    # digits or symbols, and never one of the 20,000 most common passwords.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
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

# /healthz answers 503 when a task ready to run has waited longer than this (no worker running).
HEALTHZ_TASK_MAX_WAIT_SECONDS = int(os.environ.get("HEALTHZ_TASK_MAX_WAIT_SECONDS", "600"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@commissioning.invalid")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (docs/deployment.md).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)

# ---------------------------------------------------------------- transport and browser security
# On by default (fail safe); only a local demo over plain http turns the https-only ones off,
# explicitly through the environment (scripts/demo.sh, settings_dev). docs/deployment.md.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", True)
# Load balancers probe the health check over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto (and strips it from
# clients): without this Django sees http and SECURE_SSL_REDIRECT would loop.
if _env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
# ---------------------------------------------------------------------- Sign-in and accounts
# (issue 13; docs/accounts-security.md). Kept in one block for the security settings' neighbours.
#
# Throttling and lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account
# (the username, whether or not it exists) or from one address, sign-in is refused (429, the
# lockout page) until the cool-off has passed. The cool-off grows: it doubles with every further
# AXES_FAILURE_LIMIT failures in the last day (accounts.throttling.cool_off), and a failure during
# a lockout starts it again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT, axes' default).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10  # NCSC: allow around 10 attempts before locking
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: account OR address
AXES_COOLOFF_TIME = "commissioning.accounts.throttling.cool_off"
AXES_LOCKOUT_CALLABLE = "commissioning.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the back-off counts yesterday's failures from this log
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR. Behind a reverse proxy, set AXES_IPWARE_* or put the
# proxy's client address in REMOTE_ADDR (gunicorn --forwarded-allow-ips) so that one address is
# not everyone's.
#
# Registration, the email-link forms and anonymous consultation responses are throttled per
# address with django-ratelimit; the counts live in the cache. LocMemCache (the default here) is
# per process: right for the demo and the tests, wrong for several web workers, which must share
# a cache. Set CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache with
# CACHE_LOCATION=commissioning_cache (and run `manage.py createcachetable`): shared through the
# database, no extra service, though its counts are not atomic so a burst may pass a few over.
# Memcached or Redis (atomic) need their client library added to the lock first.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "commissioning"),
    }
}
RATELIMIT_VIEW = "commissioning.accounts.throttling.throttled"
# django_ratelimit is not in INSTALLED_APPS: its only job there is a system check that refuses
# every cache but memcached and Redis, and neither client is installed.
#
# Email verification and password reset links are single-use and expire after this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# ---------------------------------------------------------------------- end of sign-in block

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts, styles or event handlers anywhere: every script and stylesheet is a file
# served from this origin (base.html, static/build).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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

# Escalations from providers to probation: response targets per urgency, each an amount and a unit
# ("hours" on the clock, "working_hours" inside ESCALATION_WORKING_HOURS on working days, or
# "working_days", the close of the n-th working day after the one it was received on; 0 is the
# close of the same working day). Working days exclude England and Wales bank holidays.
ESCALATION_WORKING_HOURS = ("09:00", "17:00")
ESCALATION_TARGETS = {
    "immediate": {"acknowledge": (1, "hours"), "respond": (4, "hours")},
    "same_day": {"acknowledge": (2, "working_hours"), "respond": (0, "working_days")},
    "three_days": {"acknowledge": (1, "working_days"), "respond": (3, "working_days")},
}

# Two-factor sign-in (commissioning.accounts.two_factor): the roles that must use an authenticator
# app, enforced by TwoFactorMiddleware; everyone else may turn it on from their account page.
# Probation practitioners see referral data about people, so they are on the list.
TWO_FACTOR_REQUIRED_ROLES = [
    "commissioner",
    "evaluator",
    "reviewer",
    "probation",
    "steward",
    "inspector",
    "admin",
]
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = SERVICE_NAME
# Nobody, administrators included, sees a person's secret key once it is set up.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Referrals (REF-1): the key of the keyed hash (HMAC-SHA256) that turns a referrer's case
# reference into the pseudonymous reference stored for the person; a long random secret. As for
# the bid-sealing key, the platform refuses to start without it unless the public development key
# is asked for explicitly (REFERRAL_PSEUDONYM_ALLOW_DEV_KEY=1: scripts/demo.sh, settings_dev);
# it is never inferred (docs/referrals.md, docs/deployment.md).
REFERRAL_PSEUDONYM_KEY = os.environ.get("REFERRAL_PSEUDONYM_KEY", "")
REFERRAL_PSEUDONYM_ALLOW_DEV_KEY = _env_bool("REFERRAL_PSEUDONYM_ALLOW_DEV_KEY", False)
if not REFERRAL_PSEUDONYM_KEY and not REFERRAL_PSEUDONYM_ALLOW_DEV_KEY:
    raise ImproperlyConfigured(
        "REFERRAL_PSEUDONYM_KEY is not set: the platform will not start without the key that "
        "pseudonymises referred people. Set it to a long random secret (at least 32 characters), "
        "or, for the local demo and the tests only, set REFERRAL_PSEUDONYM_ALLOW_DEV_KEY=1 to use "
        "the development key, which is public."
    )
if REFERRAL_PSEUDONYM_KEY and len(REFERRAL_PSEUDONYM_KEY) < 32:
    raise ImproperlyConfigured("REFERRAL_PSEUDONYM_KEY is too short: use at least 32 characters.")

# Outcome studies against a national extract (OUT-1): the key of the keyed hash (HMAC-SHA256) that
# turns the identifiers in the data steward's extract and in a provider's cohort into the
# pseudonyms stored; raw identifiers are never kept. Refused as for the referral key above
# (OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY=1 only for the demo and the tests; docs/deployment.md).
OUTCOMES_PSEUDONYM_KEY = os.environ.get("OUTCOMES_PSEUDONYM_KEY", "")
OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY = _env_bool("OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY", False)
if not OUTCOMES_PSEUDONYM_KEY and not OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY:
    raise ImproperlyConfigured(
        "OUTCOMES_PSEUDONYM_KEY is not set: the platform will not start without the key that "
        "pseudonymises the people in outcome extracts and cohorts. Set it to a long random secret "
        "(at least 32 characters), or, for the local demo and the tests only, set "
        "OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY=1 to use the development key, which is public."
    )
if OUTCOMES_PSEUDONYM_KEY and len(OUTCOMES_PSEUDONYM_KEY) < 32:
    raise ImproperlyConfigured("OUTCOMES_PSEUDONYM_KEY is too short: use at least 32 characters.")

# Bid candy after award (docs/delivery-checks.md): a sub-contractor named in the winning bid is
# flagged when, over this many complete quarters, it received less than these shares of the
# referrals and of the money it was promised for them. Shown beside each flag.
BID_CANDY_WINDOW_QUARTERS = 2
BID_CANDY_REFERRAL_SHARE = "0.25"
BID_CANDY_VALUE_SHARE = "0.25"

# Logs go to standard output, one line each; the service manager or container runtime keeps them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["anonymous_route"],
        }
    },
    # Nothing about a request on the anonymous concerns route reaches the log (SUP-5).
    "filters": {
        "anonymous_route": {"()": "commissioning.concerns.anonymity.AnonymousRouteLogFilter"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Uploaded outcome cohorts hold personal data (person id, sex, age, ethnicity, offence history;
# issue 13 item 3). 0 (the default): a cohort is deleted as soon as its study finishes, keeping
# only the aggregate result. N > 0: finished studies keep their cohort for N days after upload,
# then `commissioning outcomes purge` (run daily) deletes it. See docs/outcomes.md.
# The national minimum standards every commissioning body is measured against (MKT-3): a JSON
# file of thresholds; empty means the one in the repository (standards/national_standards.json).
NATIONAL_STANDARDS_FILE = os.environ.get("NATIONAL_STANDARDS_FILE", "") or None

OUTCOME_COHORT_RETENTION_DAYS = int(os.environ.get("OUTCOME_COHORT_RETENTION_DAYS", "0"))

# A referral's protected characteristics and pseudonymous reference are erased this many days
# after it reaches a final state (declined, completed, withdrawn, disengaged), by
# `commissioning referrals purge` (run daily); its contract keeps only the counts the published
# equality table needs (issue 13). See docs/referrals.md.
REFERRAL_PERSONAL_DATA_RETENTION_DAYS = int(
    os.environ.get("REFERRAL_PERSONAL_DATA_RETENTION_DAYS", "365")
)

# Anonymous concerns (SUP-5): the Argon2id cost of deriving keys from reviewers' passphrases and
# reporters' receipts ("moderate": about a second on a server). The tests use "min".
CONCERNS_KDF_COST = "moderate"
