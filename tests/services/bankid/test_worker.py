"""BankID orders collected by real Celery worker processes (Redis in CI, the
filesystem broker otherwise), against the simulator over mutual TLS."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from enrollment.models import Enrollment
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content

from .conftest import PNR

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bankid_env(settings, sim):
    values = sim.client_settings()
    for key, value in values.items():
        setattr(settings, key, value)
    settings.BANKID_COLLECT_INTERVAL = 1.0
    return {**values, "BANKID_COLLECT_INTERVAL": "1"}


@pytest.fixture
def logged_in(client, demo_user, bankid_env):
    client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    return client


def poll_until_done(client, order, within: float = 40.0) -> dict:
    """Poll the status endpoint once a second, as the page does."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        state = client.get(reverse("bankid_status", kwargs={"order_id": order.pk})).json()
        if state["done"]:
            return state
        time.sleep(1)
    raise AssertionError(f"order still pending: {state}")


def wait_for_collects(order, count: int, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.collect_count >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"only {order.collect_count} collects")


def start(client) -> BankIDOrder:
    response = client.post(reverse("bankid_enroll"), {"personal_number": PNR})
    return BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_a_worker_collects_the_order_until_it_completes(logged_in, sim, worker_factory, bankid_env):
    worker = worker_factory(extra_env=bankid_env)
    order = start(logged_in)
    wait_for_collects(order, 2)
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    state = poll_until_done(logged_in, order)
    assert state["status"] == "complete", worker.log()
    assert Enrollment.objects.filter(service="bankid", user_guid=order.user_guid).exists()


def test_an_order_survives_its_worker_being_killed(logged_in, sim, worker_factory, bankid_env):
    first = worker_factory(extra_env=bankid_env)
    order = start(logged_in)
    wait_for_collects(order, 2)
    first.kill()
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    worker_factory(extra_env=bankid_env)
    # The page keeps polling; the next worker picks the order up and ends it.
    state = poll_until_done(logged_in, order, within=60)
    assert state["status"] == "complete"
    order.refresh_from_db()
    assert order.outcome == "enrolled"


def test_one_worker_carries_many_orders_at_once(
    client, sim, worker_factory, bankid_env, demo_directory, db
):
    """Orders re-queue themselves instead of sleeping in a worker slot: two
    pool threads keep twenty orders collected."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from services.bankid.orders import start_order

    worker_factory(concurrency=2, extra_env=bankid_env)
    orders = []
    for i in range(20):
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
        request.session = SessionStore()
        orders.append(
            start_order(
                request=request,
                purpose="enroll",
                user_guid=f"g{i}",
                username=f"u{i}",
                expected_hash="x",
            )
        )
    for order in orders:
        from services.bankid.orders import note_browser_poll

        note_browser_poll(order.pk)
    for order in orders:
        wait_for_collects(order, 3)
