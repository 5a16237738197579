from __future__ import annotations

import json
import re
import time
import uuid

import pytest
from django.core.cache import cache

from portal.tasks import ping

pytestmark = pytest.mark.worker


def _wait_for(key: str, timeout: float = 30) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is not None:
            return value
        time.sleep(0.1)
    return None


def test_a_real_worker_runs_a_queued_task(celery_worker):
    token = uuid.uuid4().hex
    ping.delay(token)
    assert _wait_for(f"worker-ping:{token}") is not None, celery_worker.log()


def test_a_task_with_a_countdown_runs_after_it(celery_worker):
    token = uuid.uuid4().hex
    sent = time.time()
    ping.apply_async((token,), countdown=2)
    ran = _wait_for(f"worker-ping:{token}")
    assert ran is not None, celery_worker.log()
    assert ran >= sent + 1.5


def test_the_worker_logs_through_the_portals_logging_as_json(celery_worker):
    token = uuid.uuid4().hex
    ping.delay(token)
    assert _wait_for(f"worker-ping:{token}") is not None, celery_worker.log()
    time.sleep(0.5)  # the task's "succeeded" line
    log = celery_worker.log()
    # Celery prints its banner as plain text; every log record is a JSON line.
    # (A library may log a JSON warning before the banner is printed, so the
    # banner is not always first.) No record may come in Celery's own plain
    # format ("[2026-11-29 10:00:00,000: INFO/MainProcess] ...").
    entries = [json.loads(line) for line in log.splitlines() if line.startswith('{"time"')]
    plain = [
        line for line in log.splitlines() if re.match(r"^\[\d{4}-\d\d-\d\d [^]]*: [A-Z]+/", line)
    ]
    assert plain == [], plain
    assert {e["logger"] for e in entries} >= {"celery.apps.worker", "celery.app.trace"}
    assert any(e["logger"] == "celery.app.trace" and "portal.ping" in e["message"] for e in entries)
