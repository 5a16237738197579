"""Fixtures of the reset tests: a demo user with Mobilkod and Mobilt BankID
enrolled, and helpers that walk a browser session through the flow with the
real SMS pages and the BankID simulator.

The tests run on the default thresholds (a reset needs 2 stars: BankID alone,
or Mobilkod and BankID; one SMS code is never enough), so a proved flow here
proves both services."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from devtools.models import DemoDirectoryUser
from enrollment.crypto import encrypt, pii_hash
from enrollment.services import save_enrollment
from services.sms.gateways import outbox

OLD_PASSWORD = "Gammal-Hemlis-42"
NEW_PASSWORD = "Tre-Gröna-Äpplen-9"
PHONE = "+46701234512"
PNR = "199001012385"  # Luhn-valid test number, as the BankID tests use


@pytest.fixture(autouse=True)
def _clean_outboxes():
    outbox.clear()
    yield
    outbox.clear()


@pytest.fixture(autouse=True)
def _language_reset():
    # A request to an /en/ page leaves English active in this thread.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _cheap_history_hashes(settings):
    # The portal's password history hashes slowly on purpose; tests need no such cost.
    settings.RESET_HISTORY_ITERATIONS = 1000


def enrol_sms(user, phone: str = PHONE):
    return save_enrollment(
        request=None,
        user_guid=user.guid,
        username=user.username,
        service="sms",
        display=f"{phone[:4]} ••• •• {phone[-2:]}",
        protected_value=encrypt(phone),
        value_hash=pii_hash(phone, purpose="phone"),
    )


def enrol_bankid(user, pnr: str = PNR):
    from services.bankid.pnr import hash_personal_number

    return save_enrollment(
        request=None,
        user_guid=user.guid,
        username=user.username,
        service="bankid",
        display="Anna Andersson",
        value_hash=hash_personal_number(pnr),
    )


def enrol_both(user):
    enrol_sms(user)
    enrol_bankid(user)
    return user


def lock_demo_account(user) -> None:
    """Lock the demo account as too many bad passwords would. (Set directly: the
    demo backend's failed binds are counted inside the transaction that their
    error rolls back, so it never locks by itself.)"""
    DemoDirectoryUser.objects.filter(guid=user.guid).update(
        locked_at=timezone.now(), bad_password_count=5
    )


def unreachable_directory(settings) -> None:
    """The real AD backend, pointed at a port where nothing answers: the
    directory went down."""
    settings.DIRECTORY_BACKEND = "identity.directory.ad.ActiveDirectoryBackend"
    settings.LDAP_URLS = ["ldaps://127.0.0.1:1"]
    settings.LDAP_BIND_DN = "CN=svc,DC=test,DC=local"
    settings.LDAP_BIND_PASSWORD = "x"
    settings.LDAP_BASE_DN = "DC=test,DC=local"
    settings.LDAP_TIMEOUT = 2


@pytest.fixture
def enrolled_user(demo_user):
    return enrol_both(demo_user)


class Walker:
    """A browser session (Django's test client) walking the reset pages. Work
    queued with ``transaction.on_commit`` (the SMS code, the notices) runs
    when the request's transaction commits, as in production."""

    def __init__(self, client, capture, request=None) -> None:
        self.client = client
        self.capture = capture
        self._request = request

    def post(self, url: str, data: dict | None = None, **extra):
        with self.capture(execute=True):
            return self.client.post(url, data or {}, **extra)

    def get(self, url: str, **extra):
        return self.client.get(url, **extra)

    def start(self, username: str, purpose: str = "reset"):
        return self.post(reverse(f"{purpose}_start"), {"username": username})

    def start_flow(self, username: str, purpose: str = "reset") -> str:
        """Start a flow; returns its id."""
        response = self.start(username, purpose)
        assert response.status_code == 302, response.content.decode()[:2000]
        return flow_id_of(response["Location"])

    def prove_with_sms(self, flow_id: str, code: str | None = None):
        """The real Mobilkod verify page: send a code, type it (from the outbox)."""
        url = reverse("sms_verify", kwargs={"flow_id": flow_id})
        sent = self.post(url, {"send": "1"})
        assert sent.status_code == 302, sent.content.decode()[:2000]
        return self.post(url, {"code": code or last_code()})

    def prove_with_bankid(self, flow_id: str, pnr: str = PNR) -> None:
        """The real BankID verify page against the simulator: the order is
        approved with ``pnr``, collected as the worker would, and the status
        poll (the page's JavaScript) brings the proof into the flow."""
        from services.bankid.collect import collect_once
        from services.bankid.models import BankIDOrder
        from services.bankid.orders import qr_content

        sim = self._request.getfixturevalue("sim")
        self._request.getfixturevalue("bankid_settings")
        response = self.post(reverse("bankid_verify", kwargs={"flow_id": flow_id}))
        assert response.status_code == 302, response.content.decode()[:2000]
        order = BankIDOrder.objects.get(pk=flow_id_of(response["Location"]))
        sim.scan(qr_content(order))
        sim.approve(order.order_ref, personal_number=pnr)
        for _ in range(5):
            order.refresh_from_db()
            if order.is_final:
                break
            with self.capture(execute=True):  # the snapshot the poll reads is published on commit
                collect_once(order_id=str(order.pk), token=order.collect_token)
        with self.capture(execute=True):
            state = self.client.get(reverse("bankid_status", kwargs={"order_id": order.pk})).json()
        assert state["done"], state

    def proved_flow(self, username: str = "anna", purpose: str = "reset") -> str:
        """A flow proved with Mobilkod and Mobilt BankID (3 stars by default)."""
        flow_id = self.start_flow(username, purpose)
        response = self.prove_with_sms(flow_id)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == prove_url(flow_id, purpose)
        self.prove_with_bankid(flow_id)
        return flow_id

    def set_password(self, flow_id: str, password: str, again: str | None = None, **extra):
        data = {"new_password": password, "confirm_password": password if again is None else again}
        return self.post(reverse("reset_password", kwargs={"flow_id": flow_id}), data | extra)

    def unlock(self, flow_id: str):
        return self.post(reverse("unlock_confirm", kwargs={"flow_id": flow_id}))


@pytest.fixture
def walker(client, django_capture_on_commit_callbacks, request):
    return Walker(client, django_capture_on_commit_callbacks, request)


def flow_id_of(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def prove_url(flow_id: str, purpose: str = "reset") -> str:
    return reverse(f"{purpose}_prove", kwargs={"flow_id": flow_id})


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def pytest_terminal_summary(terminalreporter):
    from . import test_samba

    lines = test_samba.pytest_terminal_summary_lines()
    if lines:
        terminalreporter.write_sep("-", "Reset against Samba: server time")
        for line in lines:
            terminalreporter.write_line(line)
