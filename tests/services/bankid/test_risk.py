"""Risk-aware BankID: every order asks for the risk, and a high risk refuses the
proof (or, with BANKID_HIGH_RISK=stepup, asks for one more service), driven
through the simulator for each risk level."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment import proofs
from enrollment.models import Enrollment
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.bankid.pnr import hash_personal_number

from .conftest import PNR
from .test_enrollment_flow import drive, start_enrollment, status

pytestmark = pytest.mark.django_db


class _Request:  # the proof flow lives in the test client's session
    def __init__(self, client):
        self.session = client.session


@pytest.fixture
def proof_flow(client, sim, bankid_settings, demo_user):
    Enrollment.objects.create(
        user_guid=demo_user.guid,
        username="anna",
        service="bankid",
        display="Anna",
        value_hash=hash_personal_number(PNR),
    )
    client.session.save()
    request = _Request(client)
    flow = proofs.start_flow(
        request, purpose="reset", user_guid=demo_user.guid, username="anna", return_url="/reset/x/"
    )
    request.session.save()
    return flow


def _prove(client, sim, flow, risk):
    response = client.post(reverse("bankid_verify", kwargs={"flow_id": flow.id}))
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    sim.scan(qr_content(order))
    sim.approve(order.order_ref, personal_number=PNR, risk=risk)
    order = drive(order)
    return order, status(client, order)


def _flow(client, flow):
    return proofs.get_flow(_Request(client), flow.id)


def test_every_order_asks_bankid_for_the_risk(client, sim, proof_flow):
    client.post(reverse("bankid_verify", kwargs={"flow_id": proof_flow.id}))
    (order,) = sim.orders()
    assert order["returnRisk"] is True


@pytest.mark.parametrize("risk", ["low", "moderate", ""])
def test_a_low_moderate_or_missing_risk_proves_as_usual(client, sim, proof_flow, risk):
    order, _state = _prove(client, sim, proof_flow, risk)
    assert order.outcome == "verified"
    flow = _flow(client, proof_flow)
    assert "bankid" in flow.proved and flow.has_company()
    assert not AuditEvent.objects.filter(action="bankid.high_risk").exists()


def test_a_high_risk_is_refused_with_a_clear_message_and_an_audit_event(
    client, sim, proof_flow, demo_user
):
    order, state = _prove(client, sim, proof_flow, "high")
    assert order.outcome == "risk_refused"
    assert "kunde inte godkännas av säkerhetsskäl" in state["message"]
    flow = _flow(client, proof_flow)
    assert "bankid" not in flow.proved and flow.failures == 1
    event = AuditEvent.objects.get(action="bankid.high_risk")
    assert event.result == "failure" and event.subject_guid == demo_user.guid
    assert event.details["decision"] == "risk_refused" and event.details["risk"] == "high"


def test_with_stepup_a_high_risk_counts_only_with_one_more_service(
    client, sim, proof_flow, settings
):
    settings.BANKID_HIGH_RISK = "stepup"
    settings.RESET_STARS_REQUIRED = 1
    order, state = _prove(client, sim, proof_flow, "high")
    assert order.outcome == "verified_step_up"
    assert "ytterligare en tjänst" in state["message"]
    flow = _flow(client, proof_flow)
    assert "bankid" in flow.proved
    assert not flow.is_sufficient({"bankid", "sms"})  # one star was enough, but not alone
    flow.proved["sms"] = 1.0
    assert flow.is_sufficient({"bankid", "sms"})
    assert AuditEvent.objects.get(action="bankid.high_risk").details["decision"] == (
        "verified_step_up"
    )


def test_a_high_risk_enrolment_is_refused_even_with_stepup(
    client, sim, bankid_settings, demo_user, settings
):
    settings.BANKID_HIGH_RISK = "stepup"
    client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    order = start_enrollment(client)
    sim.configure(risk="high")  # told the way other outcomes are told
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    order = drive(order)
    assert order.outcome == "risk_refused"
    assert not Enrollment.objects.filter(service="bankid").exists()
