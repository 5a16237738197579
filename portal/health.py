"""Health checks.

``/healthz/live``: the process is up and answers requests (for restarts: a web
container is restarted only when it is itself stuck, never because AD is down).
``/healthz/ready``: the database, the broker and the directory answer (for
monitoring and for a load balancer that should route around a bad node).
``/healthz`` is the same as ``/healthz/ready``.
"""

from __future__ import annotations

import logging
import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from identity.directory import DirectoryError, get_directory

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    conf = celery_app.conf
    with Connection(conf.broker_url, transport_options=conf.broker_transport_options) as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def _check_directory() -> None:
    get_directory().check()


CHECKS = {"database": _check_database, "broker": _check_broker, "directory": _check_directory}


@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    results: dict[str, dict] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
            results[name] = {"ok": True}
        except DirectoryError as exc:
            healthy = False
            results[name] = {"ok": False, "error": exc.code}
            logger.warning("health check %s failed: %s %s", name, exc.code, exc.detail)
        except Exception as exc:  # noqa: BLE001 - any failure is a failed check
            healthy = False
            results[name] = {"ok": False, "error": type(exc).__name__}
            logger.warning("health check %s failed: %r", name, exc)
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503
    )
