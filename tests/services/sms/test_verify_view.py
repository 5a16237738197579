"""Mobilkod as a proof in a flow (reset, unlock, step-up): the verify page."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment import proofs
from enrollment.crypto import encrypt
from enrollment.models import Enrollment
from enrollment.services import save_enrollment
from services.sms.gateways import outbox

from .helpers import last_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)


def start_flow(client, *, user_guid: str, username: str) -> proofs.ProofFlow:
    """A proof flow in the client's session, as the reset pages start it."""
    holder = SimpleNamespace(session=client.session)
    flow = proofs.start_flow(
        holder, purpose="reset", user_guid=user_guid, username=username, return_url="/after/"
    )
    holder.session.save()
    return flow


def flow_in(client, flow_id: str) -> proofs.ProofFlow:
    return proofs.get_flow(SimpleNamespace(session=client.session), flow_id)


@pytest.fixture
def enrolled(demo_user):
    save_enrollment(
        request=None,
        user_guid=demo_user.guid,
        username=demo_user.username,
        service="sms",
        display="+46 70*** **12",
        protected_value=encrypt("+46701234512"),
    )
    return demo_user


def url(flow) -> str:
    return reverse("sms_verify", kwargs={"flow_id": flow.id})


def test_the_right_code_marks_mobilkod_proved_and_returns_to_the_flow(client, enrolled):
    flow = start_flow(client, user_guid=enrolled.guid, username="anna")
    html = client.get(url(flow)).content.decode()
    assert "Vi skickar en kod till ditt registrerade mobilnummer +46 70*** **12." in html
    assert outbox == []  # nothing is sent by just opening the page

    assert client.post(url(flow), {"send": "1"}).status_code == 302
    assert outbox[-1].to == "+46701234512"
    html = client.get(url(flow)).content.decode()
    assert "Koden skickades till +46 70*** **12. Kolla dina sms och skriv in koden nedan." in html

    response = client.post(url(flow), {"code": last_code()})
    assert response.status_code == 302 and response["Location"] == "/after/"
    assert "sms" in flow_in(client, flow.id).proved
    assert Enrollment.objects.get(service="sms").last_used_at is not None
    assert AuditEvent.objects.filter(action="sms.code_verified", result="success").exists()
    # Proved: opening the page again goes straight back.
    assert client.get(url(flow))["Location"] == "/after/"


def test_a_wrong_code_counts_as_a_failure_of_the_flow(client, enrolled):
    flow = start_flow(client, user_guid=enrolled.guid, username="anna")
    client.post(url(flow), {"send": "1"})
    response = client.post(url(flow), {"code": wrong_code(last_code())})
    assert response.status_code == 400
    assert "Fel kod. Du har 2 försök kvar." in response.content.decode()
    assert flow_in(client, flow.id).failures == 1
    assert flow_in(client, flow.id).proved == {}


def test_a_code_sent_for_one_flow_does_not_prove_another(client, enrolled):
    first = start_flow(client, user_guid=enrolled.guid, username="anna")
    client.post(url(first), {"send": "1"})
    code = last_code()
    second = start_flow(client, user_guid=enrolled.guid, username="anna")
    response = client.post(url(second), {"code": code})
    assert response.status_code == 400
    assert flow_in(client, second.id).proved == {}


def test_an_unknown_flow_says_to_start_over(client):
    response = client.get(reverse("sms_verify", kwargs={"flow_id": "no-such-flow"}))
    assert response.status_code == 400
    assert "Börja om från startsidan." in response.content.decode()


def _shape(response, flow) -> str:
    """The page with what legitimately differs (masked numbers, tokens, ids) blanked."""
    html = response.content.decode().replace(flow.id, "FLOW")
    html = re.sub(r"\+46 7\d\*\*\* \*\*\d\d", "+46 7X*** **XX", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    html = re.sub(r"/sms/status/[^/]+/", "/sms/status/ID/", html)
    return html


@pytest.mark.parametrize("who", ["unknown", "not_enrolled"])
def test_a_user_without_mobilkod_sees_the_same_pages_but_nothing_is_sent(
    client, client_factory, enrolled, demo_directory, who
):
    if who == "unknown":
        other = start_flow(client, user_guid="", username="nobody")
    else:
        bob = demo_directory.create_user(username="bob", password="Bobs-Hemlis-42")
        other = start_flow(client, user_guid=bob.guid, username="bob")
    real_client = client_factory()
    real = start_flow(real_client, user_guid=enrolled.guid, username="anna")

    assert _shape(client.get(url(other)), other) == _shape(real_client.get(url(real)), real)
    assert client.post(url(other), {"send": "1"}).status_code == 302
    real_client.post(url(real), {"send": "1"})
    assert len(outbox) == 1  # only the real user's phone got a code
    fake = client.get(url(other))
    assert _shape(fake, other) == _shape(real_client.get(url(real)), real)
    fake_page = fake.content.decode()
    assert "Koden skickades till +46 7" in fake_page

    for code in (last_code(), "000000", wrong_code(last_code())):
        response = client.post(url(other), {"code": code})
        assert response.status_code == 400
    assert flow_in(client, other.id).proved == {}
    # The decoy looks the same for the same name every time.
    again = start_flow(client, user_guid=other.user_guid, username=other.username)
    number = re.search(r"\+46 7\d\*\*\* \*\*\d\d", client.get(url(again)).content.decode())
    assert number and number.group(0) in fake_page
