"""The order page's poll token (services/bankid/poll.py) lets the status poll
answer without the session, and still nobody reads an order that is not their
session's: another session's cookie, an expired, a tampered, or another
order's token are refused (403, no order data), and refused before the cache
is read. The page's own token needs no query at all."""

from __future__ import annotations

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.bankid.poll import check_poll_token, make_poll_token
from tests.services.bankid.conftest import OTHER_PNR, PNR

pytestmark = pytest.mark.django_db


def _login(username="anna") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302
    return client


def _start(client, capture, pnr=PNR) -> tuple[BankIDOrder, str]:
    """An order of this session, and the poll token its page was given."""
    with capture(execute=True):  # the order's snapshot is published on commit
        response = client.post(reverse("bankid_enroll"), {"personal_number": pnr})
    assert response.status_code == 302, response.content.decode()[:500]
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    page = client.get(response["Location"]).content.decode()
    token = re.search(r'data-poll-token="([^"]+)"', page).group(1)
    return order, token


def _poll(client, order_id, token):
    return client.get(reverse("bankid_status", kwargs={"order_id": order_id}), {"t": token})


@pytest.fixture
def victim(demo_user, bankid_settings, django_capture_on_commit_callbacks):
    client = _login()
    order, token = _start(client, django_capture_on_commit_callbacks)
    return client, order, token


def test_the_pages_token_polls_without_session_user_or_any_query(victim):
    client, order, token = victim
    _poll(client, order.pk, token)  # the page-open mark is written on the first poll
    with CaptureQueriesContext(connection) as queries:
        response = _poll(client, order.pk, token)
    assert response.status_code == 200
    state = response.json()
    assert state["status"] == "pending" and state["qr"] == qr_content(order)
    sql = [q["sql"] for q in queries]
    # No session, no user, no order row; with the database as the cache (no
    # CACHE_URL) the one cache read is the only statement.
    assert [q for q in sql if "portal_cache" not in q] == []
    assert len(sql) <= 1 and not any(
        q.lstrip().upper().startswith(("INSERT", "UPDATE")) for q in sql
    )


def _refused(response) -> None:
    assert response.status_code == 403
    body = response.content.decode()
    assert "qr" not in body and "pending" not in body and "message" not in body


def test_another_sessions_cookie_cannot_use_the_victims_token(victim):
    _client, order, token = victim
    # The same user logged in elsewhere: a session of their own, not this one.
    other = _login()
    _refused(_poll(other, order.pk, token))
    _refused(_poll(Client(), order.pk, token))  # no session at all
    # Without a token the session poll does not know the order either.
    assert other.get(reverse("bankid_status", kwargs={"order_id": order.pk})).status_code == 404


def test_a_copied_session_key_with_an_own_token_does_not_reach_another_order(
    victim, django_capture_on_commit_callbacks
):
    _client, order, _token = victim
    attacker = _login()
    own_order, own_token = _start(attacker, django_capture_on_commit_callbacks, OTHER_PNR)
    # The attacker's valid token, for their own order, on the victim's order id.
    _refused(_poll(attacker, order.pk, own_token))
    assert _poll(attacker, own_order.pk, own_token).status_code == 200


def test_an_expired_token_is_refused_and_the_session_poll_gives_a_fresh_one(victim):
    client, order, _token = victim
    old = make_poll_token(order_id=order.pk, session_key=order.session_key, now=time.time() - 3600)
    _refused(_poll(client, order.pk, old))
    fresh = client.get(reverse("bankid_status", kwargs={"order_id": order.pk})).json()["poll"]
    assert _poll(client, order.pk, fresh).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the MAC
        lambda t: f"{int(t.split('.')[0], 16) + 3600:x}." + t.split(".")[1],  # a later expiry
        lambda t: "ffffffffff." + t.split(".")[1],
        lambda t: t.split(".")[1],
        lambda t: "",
        lambda t: "x" * 500,
    ],
)
def test_a_tampered_token_is_refused(victim, tamper):
    client, order, token = victim
    _refused(_poll(client, order.pk, tamper(token)))


def test_a_token_of_another_order_of_the_same_session_is_refused(
    victim, sim, django_capture_on_commit_callbacks
):
    client, order, token = victim
    # The first order ends; the session starts another one.
    from services.bankid.orders import cancel_order

    cancel_order(order=order)
    BankIDOrder.objects.filter(pk=order.pk).update(started_at=0)
    second, second_token = _start(client, django_capture_on_commit_callbacks)
    assert second.pk != order.pk
    _refused(_poll(client, second.pk, token))
    _refused(_poll(client, order.pk, second_token))
    assert _poll(client, second.pk, second_token).status_code == 200


def test_the_check_needs_the_right_order_session_and_time():
    token = make_poll_token(order_id="o1", session_key="s1", now=1000.0)
    assert check_poll_token(token, order_id="o1", session_key="s1", now=1001.0)
    assert not check_poll_token(token, order_id="o2", session_key="s1", now=1001.0)
    assert not check_poll_token(token, order_id="o1", session_key="s2", now=1001.0)
    assert not check_poll_token(token, order_id="o1", session_key="s1", now=1000.0 + 10_000)
    assert not check_poll_token(token, order_id="o1", session_key=None, now=1001.0)


def test_a_finished_order_sends_the_token_poll_through_the_session_page(victim, sim):
    client, order, token = victim
    from services.bankid.collect import collect_once
    from services.bankid.orders import publish_order

    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    order.refresh_from_db()
    collect_once(order_id=str(order.pk), token=order.collect_token)
    publish_order(order.pk)
    state = _poll(client, order.pk, token).json()
    assert state["done"] is True and state["status"] == "complete"
    assert state["next"].startswith(reverse("bankid_order", kwargs={"order_id": order.pk}))
    # The order page (inside the session) goes on to the done page.
    page = client.get(state["next"], follow=True).content.decode()
    assert "Du har nu registrerat ditt BankID för återställning av lösenord" in page
