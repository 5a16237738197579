"""A BankID of the wrong person in a proof flow is a failed proof of the
account the moment BankID says who it was (in the collect, not when a page
is opened), whichever flow or session it came from; at the limit no further
order is started at all (no new RP API order, no money spent)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from enrollment.models import Enrollment
from identity import protection
from services.bankid.collect import collect_once
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.bankid.pnr import hash_personal_number
from tests.services.bankid.conftest import OTHER_PNR, PNR

pytestmark = pytest.mark.django_db


def _wrong_person_in_a_fresh_flow(sim) -> int:
    """A new browser starts a reset for anna, has BankID started, and lets
    another person approve it; the page is never polled. Returns the status
    of the verify page's answer."""
    browser = Client()
    start = browser.post(reverse("reset_start"), {"username": "ANNA@demo.local"})
    flow = start["Location"].rstrip("/").split("/")[-1]
    response = browser.post(reverse("bankid_verify", kwargs={"flow_id": flow}))
    if response.status_code != 302:
        return response.status_code
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, personal_number=OTHER_PNR)
    collect_once(order_id=str(order.pk), token=order.collect_token)
    order.refresh_from_db()
    assert order.outcome == "mismatch"
    return 302


def test_wrong_bankids_lock_the_account_without_any_page_being_opened(
    demo_user, bankid_settings, sim, settings
):
    settings.BANKID_START_LIMITS = {"account": (100, 3600)}
    Enrollment.objects.create(
        user_guid=demo_user.guid,
        username="anna",
        service="bankid",
        display="Anna",
        value_hash=hash_personal_number(PNR),
    )
    for _ in range(5):
        assert _wrong_person_in_a_fresh_flow(sim) == 302
    assert protection.is_locked_out(user_guid=demo_user.guid)
    orders = BankIDOrder.objects.count()
    assert _wrong_person_in_a_fresh_flow(sim) == 400  # refused before BankID is asked
    assert BankIDOrder.objects.count() == orders


def test_a_cancelled_or_verified_order_gives_its_slot_back(demo_user, bankid_settings, sim):
    Enrollment.objects.create(
        user_guid=demo_user.guid,
        username="anna",
        service="bankid",
        display="Anna",
        value_hash=hash_personal_number(PNR),
    )
    browser = Client()
    start = browser.post(reverse("reset_start"), {"username": "anna"})
    flow = start["Location"].rstrip("/").split("/")[-1]
    for _ in range(6):  # more than the budget of failed proofs
        response = browser.post(reverse("bankid_verify", kwargs={"flow_id": flow}))
        assert response.status_code == 302
        order_id = response["Location"].rstrip("/").split("/")[-1]
        browser.post(reverse("bankid_cancel", kwargs={"order_id": order_id}))
        # The per-flow start limit (5) is what stops this loop, not the lockout.
        if BankIDOrder.objects.filter(flow_id=flow).count() == 5:
            break
    assert not protection.is_locked_out(user_guid=demo_user.guid)
