"""Settings for the test suite: the project's settings with test defaults.

Everything can still be overridden from the environment (CI sets DATABASE_URL
to PostgreSQL and CELERY_BROKER_URL to Redis).
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
# One data folder (test SQLite file, broker folder) per test run, inherited by
# the worker processes and servers the tests start.
os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-test-"))
# A queue of our own, so a run never eats another run's tasks on a shared Redis.
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"portal-test-{os.getpid()}")
# Cache keys of our own, so a run never sees another run's rate limits on Redis.
os.environ.setdefault("CACHE_KEY_PREFIX", f"test{os.getpid()}")
os.environ.setdefault("DIRECTORY_BACKEND", "devtools.demo_directory.DemoDirectoryBackend")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from portal.settings import *  # noqa: E402,F403

# Tasks run inline unless a test starts a real worker (tests/worker.py).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true") == "true"

# Most tests enrol a service and reset with it at once, as the demo lets a
# newcomer do; tests of the quiet period (tests/security) set the default.
RESET_NEW_SERVICE_QUIET_SECONDS = int(os.environ.get("RESET_NEW_SERVICE_QUIET_SECONDS", "0"))

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = os.environ.get("SMS_BACKEND", "services.sms.gateways.LocmemBackend")

# Browser tests and worker processes share the test database: keep SQLite's in
# a file (PostgreSQL's test database is shared anyway).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(DATA_DIR, "test.sqlite3")}  # noqa: F405
