"""Nothing lives in one process: two gunicorn web processes and two Celery
workers on loopback share one PostgreSQL and one Redis. A BankID enrollment
started on one web process is polled on the other and completed through the
simulator; an SMS code sent through one is confirmed through the other."""

from __future__ import annotations

import os
import re
import time

import pytest
import requests
from django.conf import settings
from django.db import connection

from devtools.bankid_simulator import BankIDSimulator
from enrollment.models import Enrollment
from tests.processes import Gunicorn
from tests.worker import _database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _needs_shared_services() -> None:
    shared = (
        connection.vendor == "postgresql"
        and settings.CELERY_BROKER_URL.startswith("redis://")
        and "redis" in settings.CACHES["default"]["BACKEND"].lower()
    )
    if not shared:
        message = (
            "the scale-out test needs DATABASE_URL=postgres, CELERY_BROKER_URL and CACHE_URL=redis"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def cluster(tmp_path, demo_user, worker_factory):
    _needs_shared_services()
    sim = BankIDSimulator(tmp_path / "bankid").start()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=_database_url(),
        CELERY_TASK_ALWAYS_EAGER="false",
        SMS_BACKEND="services.sms.gateways.ConsoleBackend",
        DEMO_MODE="true",
        BANKID_COLLECT_INTERVAL="1",
        PYTHONUNBUFFERED="1",
        **sim.client_settings(),
    )
    webs = [Gunicorn(env, tmp_path / f"web{i}.log") for i in range(2)]
    workers = [
        worker_factory(
            extra_env={k: env[k] for k in env if k not in os.environ or env[k] != os.environ[k]}
        )
        for _ in range(2)
    ]
    try:
        yield sim, webs, workers
    finally:
        for web in webs:
            web.stop()
        sim.stop()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _post(session, url: str, data: dict) -> requests.Response:
    data = {**data, "csrfmiddlewaretoken": _csrf(session, url)}
    return session.post(url, data=data, timeout=20, allow_redirects=False)


def test_any_request_can_land_on_any_web_process_and_any_task_on_any_worker(cluster):
    sim, (web_a, web_b), workers = cluster
    browser = requests.Session()
    browser.trust_env = False
    login = _post(
        browser, web_a.url + "/login/", {"username": "anna", "password": "Gammal-Hemlis-42"}
    )
    assert login.status_code == 302

    # BankID: start on A, poll on B, approve in the simulator.
    started = _post(browser, web_a.url + "/bankid/", {"personal_number": "199001012385"})
    assert started.status_code == 302, started.text[:500]
    order_path = started.headers["Location"]
    order_ref = sim.orders()[0]["orderRef"]
    sim.open(orderRef=order_ref)
    sim.approve(order_ref)
    deadline, state = time.monotonic() + 60, {}
    while time.monotonic() < deadline:
        state = browser.get(web_b.url + order_path + "status", timeout=10).json()
        if state["done"]:
            break
        time.sleep(1)
    assert state.get("status") == "complete", state
    assert Enrollment.objects.filter(service="bankid").exists()

    # Mobilkod: send through B, confirm through A with the code the worker sent.
    sent = _post(browser, web_b.url + "/sms/", {"country": "SE", "number": "070-123 45 12"})
    assert sent.status_code == 302, sent.text[:500]
    deadline, code = time.monotonic() + 60, None
    while time.monotonic() < deadline and code is None:
        for worker in workers:
            found = re.findall(r"--- SMS .*? to \+46701234512\n.*?(\d{6})", worker.log())
            code = found[-1] if found else None
            if code:
                break
        time.sleep(0.5)
    assert code, "no worker sent the SMS"
    confirmed = _post(browser, web_a.url + "/sms/confirm/", {"code": code})
    assert confirmed.status_code == 302, confirmed.text[:500]
    assert Enrollment.objects.filter(service="sms").exists()
