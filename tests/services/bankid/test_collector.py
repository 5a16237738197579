"""The batch collector (services/bankid/collector.py) in this process against
the simulator: what it claims, what it writes, and that no order is ever
collected by two at once. tests/services/bankid/test_worker.py runs it in
real worker processes (and kills one)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from audit.models import AuditEvent
from enrollment.crypto import encrypt
from enrollment.models import Enrollment
from services.bankid.collect import collect_once
from services.bankid.collector import claim_due, collect_batch
from services.bankid.models import BankIDOrder
from services.bankid.orders import note_browser_poll, qr_content
from services.bankid.pnr import hash_personal_number

from .conftest import PNR

Status = BankIDOrder.Status


def _orders(sim, count: int, *, due: float = 0.0, pnr: str | None = None) -> list[BankIDOrder]:
    client = sim.client()
    made = []
    for n in range(count):
        started = client.auth("192.0.2.1", personal_number=pnr)
        made.append(
            BankIDOrder.objects.create(
                purpose=BankIDOrder.Purpose.ENROLL,
                user_guid=f"guid-{n}",
                username=f"user{n}",
                session_key=f"session-{n}",
                order_ref=started.order_ref,
                qr_start_token=started.qr_start_token,
                qr_secret=encrypt(started.qr_start_secret),
                started_at=started.started_at,
                end_user_ip="192.0.2.1",
                expected_hash=hash_personal_number(pnr) if pnr else "",
                collect_token="t",
                last_collect_at=time.time(),
                next_collect_at=due,
            )
        )
        note_browser_poll(made[-1].pk)
    client.close()
    return made


@pytest.mark.django_db
def test_only_due_orders_are_claimed_and_each_once(bankid_settings, sim):
    due = _orders(sim, 3)
    later = _orders(sim, 1, due=time.time() + 60)
    token, claimed = claim_due(limit=10)
    assert {c.pk for c in claimed} == {o.pk for o in due}
    assert later[0].pk not in {c.pk for c in claimed}
    rows = BankIDOrder.objects.filter(pk__in=[o.pk for o in due])
    assert {r.collect_token for r in rows} == {token}
    assert all(r.collect_count == 1 and r.next_collect_at > time.time() for r in rows)
    # Claimed once: not due again until an interval has passed.
    assert claim_due(limit=10)[1] == []
    assert len(claim_due(limit=10, now=time.time() + 5)[1]) == 3
    assert len(claim_due(limit=10, now=time.time() + 61)[1]) == 4


@pytest.mark.django_db
def test_a_batch_writes_new_hints_and_leaves_unchanged_orders_alone(bankid_settings, sim):
    quiet, scanned = _orders(sim, 2)
    sim.set_hint(scanned.order_ref, "userSign")
    assert collect_batch() == 2
    quiet.refresh_from_db()
    scanned.refresh_from_db()
    assert quiet.status == scanned.status == Status.PENDING
    assert scanned.hint_code == "userSign"
    assert quiet.hint_code == "outstandingTransaction"


@pytest.mark.django_db
def test_a_batch_completes_fails_and_cancels_like_a_single_collect(bankid_settings, sim):
    approved, cancelled, abandoned = _orders(sim, 3)
    Enrollment.objects.all().delete()
    approved_order = BankIDOrder.objects.get(pk=approved.pk)
    # The enrolment order names its person: the approving BankID must be that one.
    BankIDOrder.objects.filter(pk=approved.pk).update(expected_hash=hash_personal_number(PNR))
    sim.open(orderRef=approved_order.order_ref)
    sim.approve(approved_order.order_ref, personal_number=PNR, name="Anna Andersson")
    sim.user_cancel(cancelled.order_ref)
    from django.core.cache import cache

    cache.set(f"bankid:poll:{abandoned.pk}", time.time() - 3600)
    assert collect_batch() == 3
    approved.refresh_from_db()
    cancelled.refresh_from_db()
    abandoned.refresh_from_db()
    assert approved.status == Status.COMPLETE and approved.outcome == "enrolled"
    assert Enrollment.objects.filter(service="bankid", user_guid="guid-0").exists()
    assert cancelled.status == Status.FAILED and cancelled.hint_code == "userCancel"
    assert abandoned.status == Status.EXPIRED
    actions = set(AuditEvent.objects.values_list("action", "result"))
    assert ("bankid.enroll", "success") in actions
    assert ("bankid.enroll", "failure") in actions
    assert ("bankid.order_cancelled", "info") in actions


@pytest.mark.django_db
def test_a_batch_whose_worker_died_is_collected_again_and_its_writes_refused(bankid_settings, sim):
    (order,) = _orders(sim, 1)
    dead_token, claimed = claim_due(limit=10)  # ... and its worker dies here
    assert [c.pk for c in claimed] == [order.pk]
    # One interval later another worker takes it.
    live_token, again = claim_due(limit=10, now=time.time() + 3)
    assert [c.pk for c in again] == [order.pk] and live_token != dead_token
    # A late write of the dead batch (or an old per-order message) changes nothing.
    stale = BankIDOrder.objects.filter(pk=order.pk, collect_token=dead_token)
    assert stale.update(hint_code="userSign") == 0
    collect_once(order_id=str(order.pk), token=dead_token)
    order.refresh_from_db()
    assert order.collect_token == live_token and order.collect_count == 2


@pytest.mark.django_db
def test_collect_once_leaves_the_next_collect_to_the_batch_collector(bankid_settings, sim):
    (order,) = _orders(sim, 1)
    before = time.time()
    collect_once(order_id=str(order.pk), token="t")
    order.refresh_from_db()
    assert order.collect_count == 1 and order.next_collect_at >= before + 1.5
    assert claim_due(limit=10)[1] == []


@pytest.mark.django_db(transaction=True)
def test_claimers_racing_never_share_an_order(bankid_settings, sim):
    orders = _orders(sim, 60)
    got: list[list] = []
    barrier = threading.Barrier(4)

    def claimer() -> None:
        barrier.wait()
        mine = []
        try:
            while True:
                _token, claimed = claim_due(limit=7)
                if not claimed:
                    break
                mine += [c.pk for c in claimed]
        finally:
            connection.close()
        got.append(mine)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    claimed = [pk for mine in got for pk in mine]
    assert sorted(claimed) == sorted(o.pk for o in orders)  # each exactly once


@pytest.mark.django_db
def test_the_qr_stays_right_after_a_batch(bankid_settings, sim):
    (order,) = _orders(sim, 1)
    collect_batch()
    order.refresh_from_db()
    assert sim.scan(qr_content(order))
