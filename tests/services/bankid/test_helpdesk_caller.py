"""Checking a caller with Mobilt BankID (/phone/auth), against the BankID simulator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.services import save_enrollment
from services.bankid.collect import collect_once
from services.bankid.models import BankIDOrder
from services.bankid.pnr import hash_personal_number
from tests.services.bankid.conftest import OTHER_PNR, PNR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bankid_settings(settings, sim):  # noqa: F811
    for key, value in sim.client_settings().items():
        setattr(settings, key, value)
    settings.BANKID_ABANDON_SECONDS = 60
    settings.IDENTITY_SERVICES = [
        {"class": "services.sms.service.SmsService", "weight": 1},
        {"class": "services.bankid.service.BankIDService", "weight": 1},
    ]


@pytest.fixture
def anna_bankid(demo_user):
    save_enrollment(
        request=None,
        user_guid=demo_user.guid,
        username="anna",
        service="bankid",
        display="Anna Andersson",
        value_hash=hash_personal_number(PNR),
    )
    return demo_user


def verify_url(guid):
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": "bankid"})


def start(client, guid, pnr):
    return client.post(verify_url(guid), {"action": "start", "personal_number": pnr})


def drive(order: BankIDOrder) -> BankIDOrder:
    """One collect, as the worker would do it."""
    order.refresh_from_db()
    collect_once(order_id=str(order.pk), token=order.collect_token)
    order.refresh_from_db()
    return order


def last_check():
    return AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("id")


def test_the_user_page_offers_the_bankid_check(helpdesk, anna_bankid):
    page = helpdesk.get(reverse("admin:helpdesk_user", args=[anna_bankid.guid])).content.decode()
    assert verify_url(anna_bankid.guid) in page and "Identifiera med Mobilt BankID" in page


def test_a_personnummer_that_is_not_the_enrolled_one_fails_without_an_order(
    helpdesk,
    anna_bankid,
    sim,  # noqa: F811
):
    response = start(helpdesk, anna_bankid.guid, OTHER_PNR)
    assert response.status_code == 302
    assert sim.orders() == [] and not BankIDOrder.objects.exists()
    event = last_check()
    assert (event.result, event.details["reason"]) == ("failure", "personal_number_mismatch")


def test_an_invalid_personnummer_is_told(helpdesk, anna_bankid):
    response = start(helpdesk, anna_bankid.guid, "199001012386")
    assert response.status_code == 400
    assert "kontrollsiffran" in response.content.decode()


def test_the_caller_identifying_in_the_app_confirms_them(
    helpdesk,
    anna_bankid,
    sim,  # noqa: F811
):
    start(helpdesk, anna_bankid.guid, "19900101-2385")
    order = BankIDOrder.objects.get()
    (sim_order,) = sim.orders()
    assert (sim_order["personalNumber"], order.purpose) == (PNR, "helpdesk")
    page = helpdesk.get(verify_url(anna_bankid.guid)).content.decode()
    assert 'id="bankid-message"' in page and PNR not in page

    sim.approve(order.order_ref, name="Anna Andersson")
    assert drive(order).outcome == BankIDOrder.Outcome.VERIFIED
    state = helpdesk.get(verify_url(anna_bankid.guid), {"format": "json"}).json()
    assert state["done"] and state["next"] == reverse(
        "admin:helpdesk_user", args=[anna_bankid.guid]
    )
    assert (last_check().result, last_check().details) == ("success", {"method": "bankid"})
    page = helpdesk.get(state["next"]).content.decode()
    assert "Den som ringer bekräftades med Mobilt BankID" in page


def test_the_outcome_is_recorded_once_however_often_the_page_polls(
    helpdesk,
    anna_bankid,
    sim,  # noqa: F811
):
    start(helpdesk, anna_bankid.guid, PNR)
    order = BankIDOrder.objects.get()
    sim.approve(order.order_ref)
    drive(order)
    for _ in range(3):
        helpdesk.get(verify_url(anna_bankid.guid), {"format": "json"})
    assert AuditEvent.objects.filter(action="helpdesk.verify_caller", result="success").count() == 1


def test_a_caller_who_cancels_in_the_app_is_not_confirmed(
    helpdesk,
    anna_bankid,
    sim,  # noqa: F811
):
    start(helpdesk, anna_bankid.guid, PNR)
    order = BankIDOrder.objects.get()
    sim.user_cancel(order.order_ref)
    drive(order)
    helpdesk.get(verify_url(anna_bankid.guid), {"format": "json"})
    assert (last_check().result, last_check().details["reason"]) == ("failure", "userCancel")


def test_the_helpdesk_can_cancel_the_order(helpdesk, anna_bankid, sim):  # noqa: F811
    start(helpdesk, anna_bankid.guid, PNR)
    helpdesk.post(verify_url(anna_bankid.guid), {"action": "cancel"})
    assert BankIDOrder.objects.get().status == BankIDOrder.Status.CANCELLED
