"""Settings for the test suite: the project's settings with test defaults.

Everything can still be overridden from the environment (CI sets DATABASE_URL
to PostgreSQL and CELERY_BROKER_URL to Redis).
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("PORTAL_DATA_DIR", os.path.join(tempfile.gettempdir(), "portal-test-data"))
os.environ.setdefault("DIRECTORY_BACKEND", "identity.directory.demo.DemoDirectoryBackend")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = os.environ.get("SMS_BACKEND", "enrollment.sms.gateways.LocmemBackend")

# Browser tests and worker processes share the test database: keep SQLite's in
# a file (PostgreSQL's test database is shared anyway).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(DATA_DIR, "test.sqlite3")}  # noqa: F405
