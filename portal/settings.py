"""Project settings, read from the environment (see docs/settings.md).

Secrets may be given as ``NAME_FILE``. ``DEBUG`` is off unless asked for.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-development-key-only-for-debug" if DEBUG else env_required("SECRET_KEY")
)
# Older keys, still accepted for signatures (Django) and for reading personal
# data written before FIELD_ENCRYPTION_KEY/PII_HASH_KEY were set (rotate_keys).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORTAL_NAME = env_str("PORTAL_NAME", "Självserviceportalen")

INSTALLED_APPS = [
    "portal",
    "helpdesk",
    "reset",
    # The identity services: each its own app, turned on here and in IDENTITY_SERVICES.
    "services.sms",
    "services.bankid",
    "services.totp",
    "services.passkey",
    "services.mailcode",  # E-postkod (service key "email")
    "enrollment",
    "identity",
    "audit",
    "portal.apps.PortalAdminConfig",  # the helpdesk admin site (portal/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
]
# The development tools (BankID simulator, demo directory, demo commands) are in
# a checkout but not in `pip install .` or the image: installed only when present
# (looked up by a module of ours: PyPI has an unrelated package named devtools).
try:
    if importlib.util.find_spec("devtools.bankid_simulator") is not None:
        INSTALLED_APPS.append("devtools")
except ModuleNotFoundError:
    pass

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": environ.Env.db_url_config(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'portal.sqlite3'}")
    )
}
if env_str("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = env_str("DATABASE_PASSWORD")
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DATABASE_CONN_MAX_AGE", 60))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web and worker share the file. WAL: readers never wait for the writer.
    # IMMEDIATE: a transaction takes the write lock when it starts, so it waits
    # (busy timeout, seconds) for the other's lock instead of failing with
    # "database is locked" when a read transaction later wants to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=env_int("SQLITE_BUSY_TIMEOUT", 20),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, throttles; shared by every process) ----------------
_cache_url = env_str("CACHE_URL", "")
if _cache_url:
    CACHES = {"default": environ.Env.cache_url_config(_cache_url)}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # The same, without a new client object per cache call (portal/cache.py).
        CACHES["default"]["BACKEND"] = "portal.cache.RedisCache"
else:
    # No cache server: a table in the database is shared by web and worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }

CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "portal")

# --- Sessions and cookies ---------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_secure_default = not DEBUG
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _secure_default)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _secure_default)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Both are decisions about the whole domain: set them when every subdomain is HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of reverse proxies in front of the portal whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["identity.auth.DirectoryAuthBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Directory --------------------------------------------------------------
DIRECTORY_BACKEND = env_str("DIRECTORY_BACKEND", "identity.directory.ad.ActiveDirectoryBackend")
LDAP_URLS = env_list("LDAP_URLS", ["ldaps://127.0.0.1:636"])
LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")
LDAP_BASE_DN = env_str("LDAP_BASE_DN", "")
LDAP_USER_FILTER = env_str("LDAP_USER_FILTER", "(&(objectCategory=person)(objectClass=user))")
LDAP_CA_FILE = env_str("LDAP_CA_FILE", "")
LDAP_TLS_VALIDATE = env_bool("LDAP_TLS_VALIDATE", True)
LDAP_TLS_SERVER_NAME = env_str("LDAP_TLS_SERVER_NAME", "")
# Python's strict X.509 checks (default from 3.13); Samba's self-made certificate fails them.
LDAP_TLS_STRICT = env_bool("LDAP_TLS_STRICT", True)
LDAP_TIMEOUT = env_int("LDAP_TIMEOUT", 5)
LDAP_EXTRA_ATTRIBUTES = env_list("LDAP_EXTRA_ATTRIBUTES", [])
_pnr_attribute = env_str("BANKID_DIRECTORY_ATTRIBUTE", "")
if _pnr_attribute and _pnr_attribute not in LDAP_EXTRA_ATTRIBUTES:
    LDAP_EXTRA_ATTRIBUTES.append(_pnr_attribute)
DIRECTORY_STAFF_GROUPS = env_list("DIRECTORY_STAFF_GROUPS", ["Helpdesk"])
DIRECTORY_ADMIN_GROUPS = env_list("DIRECTORY_ADMIN_GROUPS", ["Portal Admins"])

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_WORKER_PREFETCH_MULTIPLIER", 4)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fix-up closes the database connection before and after every
# task unless this is set: each BankID collect (one per open order every 2 s)
# opened a new PostgreSQL connection. Reuse it for this many tasks; it is still
# checked before each task the way Django checks it per request (portal/celery.py).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = DATA_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# --- Logging ----------------------------------------------------------------
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "portal.logging.ScrubbingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "portal.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"ldap3": {"level": "WARNING"}},
}

# --- Mail -------------------------------------------------------------------
# SMTP in production; the demo (and DEBUG) print mail to the console.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or env_bool("DEMO_MODE", False)
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# --- Portal features (app defaults live in each app's conf.py) --------------
# Keys of their own for encrypting phone numbers and hashing personnummer
# (comma-separated, newest first; check --deploy requires them outside DEBUG and
# the demo, which fall back to SECRET_KEY). See enrollment/crypto.py.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")
PII_HASH_KEY = env_str("PII_HASH_KEY", "")
DEMO_MODE = env_bool("DEMO_MODE", False)
# Login limits from the environment; their defaults are in identity/conf.py.
LOGIN_RATE_LIMITS = {}
if env_str("LOGIN_RATE_WINDOW"):
    LOGIN_RATE_LIMITS["window"] = int(env_str("LOGIN_RATE_WINDOW"))
if env_str("LOGIN_RATE_PER_IP"):
    LOGIN_RATE_LIMITS["ip"] = int(env_str("LOGIN_RATE_PER_IP"))
if env_str("LOGIN_RATE_PER_USER"):
    LOGIN_RATE_LIMITS["user"] = int(env_str("LOGIN_RATE_PER_USER"))

# --- Helpdesk admin site, audit retention, enrollment reminders --------------
# The Django group that members of these AD groups are put in at every login
# (identity.users.sync_local_user). Both are staff; neither is a superuser.
DIRECTORY_GROUP_MAP = {
    "Helpdesk": DIRECTORY_STAFF_GROUPS,
    "Portal admins": DIRECTORY_ADMIN_GROUPS,
}
_HELPDESK_PERMISSIONS = [
    "helpdesk.helpdesk_find_user",
    "helpdesk.helpdesk_unlock",
    "helpdesk.helpdesk_verify_caller",
    "helpdesk.view_coverage",
    "enrollment.view_enrollment",
    "enrollment.delete_enrollment",
    "audit.view_auditevent",
]
# What each of those groups may do in the admin (created/updated at login).
STAFF_GROUP_PERMISSIONS = {
    "Helpdesk": _HELPDESK_PERMISSIONS,
    "Portal admins": [
        *_HELPDESK_PERMISSIONS,
        "helpdesk.view_enrollmentreminder",
        # Per-group policies (enrollment.policy): portal admins only.
        "enrollment.view_resetpolicy",
        "enrollment.add_resetpolicy",
        "enrollment.change_resetpolicy",
        "enrollment.delete_resetpolicy",
        "identity.view_user",
        "auth.view_group",
    ],
}

from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "prune-audit": {
        "task": "audit.prune",
        "schedule": crontab(hour=3, minute=17),
    },
    "send-enrollment-reminders": {
        "task": "helpdesk.send_enrollment_reminders",
        "schedule": crontab(hour=9, minute=5, day_of_week="mon-fri"),
    },
    "send-password-expiry-reminders": {
        "task": "reset.send_password_expiry_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
}

CELERY_BEAT_SCHEDULE.update(
    {
        "bankid-expire-stale-orders": {
            "task": "bankid.expire_stale",
            "schedule": 60.0,
        },
        # Restarts the batch collector's chain if it died with its worker.
        "bankid-collector": {
            "task": "bankid.collect_due",
            "schedule": 5.0,
        },
        "prune-throttles": {
            "task": "identity.prune_throttles",
            "schedule": crontab(minute=23),
        },
        "prune-notice-links": {
            "task": "identity.prune_notice_links",
            "schedule": crontab(hour=4, minute=29),
        },
        "clear-expired-sessions": {
            "task": "portal.clear_expired_sessions",
            "schedule": crontab(hour=4, minute=7),
        },
        "sms-prune-challenges": {
            "task": "sms.prune_challenges",
            "schedule": crontab(hour=3, minute=41),
        },
        "passkey-prune-challenges": {
            "task": "passkey.prune_challenges",
            "schedule": crontab(hour=3, minute=47),
        },
        "mailcode-prune-challenges": {
            "task": "mailcode.prune_challenges",
            "schedule": crontab(hour=3, minute=43),
        },
    }
)

# --- App settings from the environment ---------------------------------------
# Each app's conf.py holds the defaults (services/sms/conf.py,
# services/bankid/conf.py, helpdesk/conf.py, reset/conf.py, enrollment/conf.py,
# identity/conf.py, audit/conf.py); a variable set in the environment (or as
# NAME_FILE) overrides it. Lists are comma-separated.
_ENV_STR = [
    "SMS_BACKEND",
    "BANKID_BACKEND",
    "BANKID_URL",
    "BANKID_CERT",
    "BANKID_KEY",
    "BANKID_KEY_PASSWORD",
    "BANKID_CA",
    "BANKID_TIMEOUT",
    "BANKID_DIRECTORY_ATTRIBUTE",
    "BANKID_HIGH_RISK",
    "PASSWORD_EXPIRY_REMINDER_DAYS",
    "HELPDESK_EMAIL",
    "ENROLLMENT_REMINDER_GROUP",
    "PORTAL_URL",
    "SMS_SENDER",
    "SMS_DEFAULT_COUNTRY",
    "SMS_46ELKS_URL",
    "SMS_46ELKS_USERNAME",
    "SMS_46ELKS_PASSWORD",
    "SMS_TWILIO_BASE_URL",
    "SMS_TWILIO_ACCOUNT_SID",
    "SMS_TWILIO_AUTH_TOKEN",
    "SMS_TWILIO_API_KEY_SID",
    "SMS_TWILIO_FROM",
    "SMS_TWILIO_MESSAGING_SERVICE_SID",
    "SMS_HTTP_URL",
    "SMS_HTTP_METHOD",
    "SMS_HTTP_AUTH_HEADER",
    "SMS_HTTP_CONTENT_TYPE",
    "SMS_HTTP_BODY_TEMPLATE",
    "SMS_HTTP_ID_FIELD",
    "PASSWORD_BREACH_BACKEND",
    "PASSWORD_BREACH_LIST_FILE",
    "HELPDESK_CONTACT",
    "RESET_PORTAL_HISTORY",
    "LDAP_NETBIOS_DOMAIN",
    "TOTP_ISSUER",
    "WEBAUTHN_RP_ID",
    "WEBAUTHN_RP_NAME",
    "WEBAUTHN_ATTESTATION",
    "MAILCODE_FROM_EMAIL",
]
_ENV_INT = [
    "BANKID_ABANDON_SECONDS",
    "BANKID_ORDER_MAX_AGE",
    "HELPDESK_SEARCH_CACHE_SECONDS",
    "AUDIT_RETENTION_DAYS",
    "ENROLLMENT_REMINDER_DAYS",
    "SMS_RETRIES",
    "BANKID_ORDER_RETENTION_DAYS",
    "SMS_CODE_LENGTH",
    "SMS_CODE_VALIDITY",
    "SMS_CODE_MAX_ATTEMPTS",
    "SMS_RESEND_COOLDOWN",
    "SMS_CHALLENGE_RETENTION",
    "ENROLLMENT_STARS_FULL",
    "RESET_STARS_REQUIRED",
    "ENROLLMENT_FRESH_LOGIN_SECONDS",
    "PROOF_FLOW_SECONDS",
    "RESET_MAX_FAILED_PROOFS",
    "RESET_LOCKOUT_SECONDS",
    "RESET_NEW_SERVICE_QUIET_SECONDS",
    "SMS_GLOBAL_HOURLY_BUDGET",
    "RESET_WRITE_LOCK_SECONDS",
    "RESET_HISTORY_ITERATIONS",
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_ZXCVBN_SCORE",
    "BANKID_POOL_SIZE",
    "BANKID_COLLECT_BATCH",
    "BANKID_COLLECT_THREADS",
    "BANKID_COLLECTOR_SLOTS",
    "BANKID_POLL_TOKEN_SECONDS",
    "LDAP_CONNECT_TIMEOUT",
    "LDAP_SERVER_BACKOFF_SECONDS",
    "PASSWORD_EXPIRY_REMINDER_MAX_PER_RUN",
    "PASSWORD_EXPIRY_REMINDER_PER_MINUTE",
    "NOT_ME_LINK_DAYS",
    "TOTP_TOLERANCE",
    "TOTP_ENROLL_SECONDS",
    "WEBAUTHN_CHALLENGE_SECONDS",
    "WEBAUTHN_MAX_KEYS",
    "MAILCODE_CODE_LENGTH",
    "MAILCODE_CODE_VALIDITY",
    "MAILCODE_CODE_MAX_ATTEMPTS",
    "MAILCODE_RESEND_COOLDOWN",
    "MAILCODE_CHALLENGE_RETENTION",
    "MAILCODE_GLOBAL_HOURLY_BUDGET",
    "MAILCODE_SEND_RETRIES",
]
_ENV_FLOAT = [
    "BANKID_COLLECT_INTERVAL",
    "BANKID_COLLECTOR_RUN_SECONDS",
    "BANKID_COLLECTOR_IDLE_WAIT",
    "SMS_TIMEOUT",
    "SMS_CONNECT_TIMEOUT",
    "SMS_RETRY_BACKOFF",
    "MAILCODE_RETRY_BACKOFF",
]
_ENV_BOOL = ["RESET_UNLOCKS_ACCOUNT", "PASSWORD_EXPIRY_REMINDER_SMS", "RESET_PRIVILEGED_ACCOUNTS"]
_ENV_LIST = [
    "SMS_ALLOWED_COUNTRIES",
    "PASSWORD_FORBIDDEN_WORDS",
    "WEBAUTHN_ORIGINS",
    "MAILCODE_BLOCKED_DOMAINS",
]
for _name in _ENV_STR:
    if env_str(_name) is not None:
        globals()[_name] = env_str(_name)
for _name in _ENV_INT:
    if env_str(_name):
        globals()[_name] = env_int(_name, 0)
for _name in _ENV_FLOAT:
    if env_str(_name):
        globals()[_name] = float(env_str(_name))
for _name in _ENV_BOOL:
    if env_str(_name):
        globals()[_name] = env_bool(_name)
for _name in _ENV_LIST:
    if env_str(_name) is not None:
        globals()[_name] = env_list(_name)
if env_str("IDENTITY_SERVICES_WEIGHTS"):
    # "sms:1,bankid:2" sets each service's stars (by its key); "bankid:2:required"
    # marks it required; a service not named is off (enrollment.conf).
    IDENTITY_SERVICES_WEIGHTS = {}
    for _item in env_list("IDENTITY_SERVICES_WEIGHTS"):
        _key, _weight, *_flags = _item.split(":")
        IDENTITY_SERVICES_WEIGHTS[_key.strip()] = (int(_weight), "required" in _flags)
if env_str("RESET_POLICIES"):
    # Per-group policies as a JSON list (docs/policies.md); checked by the
    # system check enrollment.E012.
    import json as _json

    RESET_POLICIES = _json.loads(env_str("RESET_POLICIES"))

# --- Branding and the portal's own error pages (docs/settings.md, "Branding") --
# The organisation's name, logo file (.svg/.png/.jpg/.webp), primary colour
# (checked against WCAG 2.1 AA at start-up) and support contact, shown in the
# header, the footer, error pages and notices. Defaults in portal/branding.py.
for _name in (
    "BRAND_ORGANISATION",
    "BRAND_LOGO_FILE",
    "BRAND_LOGO_ALT",
    "BRAND_PRIMARY_COLOUR",
    "BRAND_SUPPORT_PHONE",
    "BRAND_SUPPORT_EMAIL",
    "BRAND_SUPPORT_URL",
):
    if env_str(_name) is not None:
        globals()[_name] = env_str(_name)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
