"""E-postkod as a proof in a flow (reset, unlock, step-up): the verify page,
and the decoy an unknown account (or one without E-postkod) gets."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment import proofs
from enrollment.models import Enrollment
from enrollment.registry import get_service

from .helpers import PRIVATE, code_mails, enrol_mail, last_code, wrong_code

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
    enrol_mail(demo_user)
    return demo_user


def url(flow) -> str:
    return get_service("email").verify_url(flow.id)


def test_the_service_is_offered_with_one_star_by_default(settings):
    del settings.IDENTITY_SERVICES
    service = get_service("email")
    assert service is not None and service.default_weight == 1
    assert url(SimpleNamespace(id="abc")) == "/email/verify/abc/"


def test_the_right_code_marks_e_postkod_proved_and_returns_to_the_flow(client, enrolled):
    flow = start_flow(client, user_guid=enrolled.guid, username="anna")
    html = client.get(url(flow)).content.decode()
    assert "Vi skickar en kod till din registrerade e-postadress a•••@e•••.org." in html
    assert code_mails() == []  # nothing is sent by just opening the page

    assert client.post(url(flow), {"send": "1"}).status_code == 302
    sent = code_mails()[-1]
    assert sent.to == [PRIVATE]
    assert "Någon försöker återställa lösenordet" in sent.body
    response = client.post(url(flow), {"code": last_code()})
    assert response.status_code == 302 and response["Location"] == "/after/"
    assert "email" in flow_in(client, flow.id).proved
    assert Enrollment.objects.get(service="email").last_used_at is not None
    assert AuditEvent.objects.filter(action="email.code_verified", result="success").exists()
    assert client.get(url(flow))["Location"] == "/after/"


def test_a_wrong_code_counts_on_the_flow_and_the_account(client, enrolled):
    from identity import protection, throttle

    flow = start_flow(client, user_guid=enrolled.guid, username="anna")
    client.post(url(flow), {"send": "1"})
    response = client.post(url(flow), {"code": wrong_code(last_code())})
    assert response.status_code == 400
    assert "Fel kod. Du har 2 försök kvar." in response.content.decode()
    assert flow_in(client, flow.id).failures == 1
    subject = protection.account_subject(user_guid=enrolled.guid)
    assert throttle.count(protection.proof_limit(subject)) == 1
    # A malformed code is no try: it does not count on the account.
    client.post(url(flow), {"code": "12"})
    assert throttle.count(protection.proof_limit(subject)) == 1


def test_a_code_sent_for_one_flow_does_not_prove_another(client, enrolled):
    first = start_flow(client, user_guid=enrolled.guid, username="anna")
    client.post(url(first), {"send": "1"})
    second = start_flow(client, user_guid=enrolled.guid, username="anna")
    assert client.post(url(second), {"code": last_code()}).status_code == 400
    assert flow_in(client, second.id).proved == {}


def test_an_unknown_flow_says_to_start_over_in_the_users_language(client):
    response = client.get(reverse("mailcode_verify", kwargs={"flow_id": "no-such-flow"}))
    assert response.status_code == 400
    assert "Börja om från startsidan." in response.content.decode()
    response = client.get("/en/email/verify/no-such-flow/")
    assert "Start again from the home page." in response.content.decode()


def _shape(response, flow) -> str:
    """The page with what legitimately differs (masked addresses, tokens, ids) blanked."""
    html = response.content.decode().replace(flow.id, "FLOW")
    html = re.sub(r"\w•••@\w•••\.\w+", "X•••@X•••.XX", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    html = re.sub(r"/email/status/[^/]+/", "/email/status/ID/", html)
    return html


@pytest.mark.parametrize("who", ["unknown", "not_enrolled"])
def test_a_user_without_e_postkod_sees_the_same_pages_but_nothing_is_sent(
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
    assert len(code_mails()) == 1  # only the real user's mailbox got a code
    fake = client.get(url(other))
    assert _shape(fake, other) == _shape(real_client.get(url(real)), real)
    assert "Koden skickades till " in fake.content.decode()

    for code in (last_code(), "000000", wrong_code(last_code())):
        response = client.post(url(other), {"code": code})
        assert response.status_code == 400
    assert flow_in(client, other.id).proved == {}
    decoy = AuditEvent.objects.filter(action="email.code_requested", details__decoy=True)
    assert decoy.count() == 1
