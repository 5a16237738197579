"""Attacks on the authenticator app, run for real against the pages."""

from __future__ import annotations

import pyotp
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from identity import protection
from tests.reset.conftest import Walker, enrol_sms, flow_id_of

from .helpers import code, enrol_through_pages, flow_in, start_flow, verify_url

pytestmark = pytest.mark.django_db


def guesses(app: pyotp.TOTP, count: int) -> list[str]:
    """Codes that are none of the app's codes within the diagnosed window."""
    near = {code(app, steps=s) for s in range(-12, 13)}
    out, n = [], 0
    while len(out) < count:
        guess = f"{(n * 7919) % 10**6:06d}"
        if guess not in near:
            out.append(guess)
        n += 1
    return out


def test_guessing_across_flows_and_browsers_is_stopped_by_the_account_lockout(
    client_factory, anna_app, demo_user, settings, django_capture_on_commit_callbacks
):
    settings.RESET_MAX_FAILED_PROOFS = 5
    # Each guess in a new browser, through the real reset start page: no page,
    # flow or session has a budget of its own.
    for guess in guesses(anna_app, 5):
        walker = Walker(client_factory(), django_capture_on_commit_callbacks)
        flow_id = walker.start_flow("ANNA" if guess.endswith("1") else "anna")
        url = reverse("totp_verify", kwargs={"flow_id": flow_id})
        assert walker.post(url, {"code": guess}).status_code == 400
    assert protection.is_locked_out(user_guid=demo_user.guid)
    assert AuditEvent.objects.filter(action="reset.locked_out").exists()

    # Now even the right code is refused, before it is compared.
    walker = Walker(client_factory(), django_capture_on_commit_callbacks)
    flow_id = walker.start_flow("anna")
    url = reverse("totp_verify", kwargs={"flow_id": flow_id})
    response = walker.post(url, {"code": code(anna_app, steps=1)})
    assert response.status_code == 400
    assert "För många misslyckade försök att identifiera dig." in response.content.decode()
    assert flow_in(walker.client, flow_id).proved == {}
    assert AuditEvent.objects.filter(
        action="protection.proof_refused", details__service="totp"
    ).exists()


def test_totp_guesses_count_on_the_same_budget_as_sms(
    client_factory, anna_app, demo_user, settings, django_capture_on_commit_callbacks
):
    settings.RESET_MAX_FAILED_PROOFS = 3
    enrol_sms(demo_user)
    walker = Walker(client_factory(), django_capture_on_commit_callbacks)
    flow_id = walker.start_flow("anna")
    for guess in guesses(anna_app, 3):
        walker.post(reverse("totp_verify", kwargs={"flow_id": flow_id}), {"code": guess})
    assert protection.is_locked_out(user_guid=demo_user.guid)
    response = walker.post(reverse("sms_verify", kwargs={"flow_id": flow_id}), {"send": "1"})
    assert response.status_code == 400
    assert "För många misslyckade försök att identifiera dig." in response.content.decode()


def test_a_code_given_in_a_step_up_cannot_be_replayed_in_a_reset(
    anna_client, anna_app, demo_user, client_factory
):
    """Someone who watched the code typed (or read it off the network log)
    cannot use it again in another flow while it is still valid."""
    step_up = start_flow(anna_client, user_guid=demo_user.guid, username="anna", purpose="step_up")
    seen = code(anna_app, steps=1)
    assert anna_client.post(verify_url(step_up), {"code": seen}).status_code == 302
    thief = client_factory()
    flow = start_flow(thief, user_guid=demo_user.guid, username="anna")
    response = thief.post(verify_url(flow), {"code": seen})
    assert response.status_code == 400
    assert flow_in(thief, flow.id).proved == {}


def test_a_code_of_another_account_is_refused(
    anna_app, demo_user, demo_directory, login, client_factory, django_capture_on_commit_callbacks
):
    demo_directory.create_user(username="bob", password="Bobs-Hemlis-42")
    bob = login("bob", "Bobs-Hemlis-42", c=client_factory())
    with django_capture_on_commit_callbacks(execute=True):
        bob_app = enrol_through_pages(bob)
    thief = client_factory()
    flow = start_flow(thief, user_guid=demo_user.guid, username="anna")
    response = thief.post(verify_url(flow), {"code": code(bob_app, steps=1)})
    assert response.status_code == 400
    assert flow_in(thief, flow.id).proved == {}


def test_the_unconfirmed_app_of_a_thief_does_not_reset(
    anna_client, anna_app, demo_user, client_factory, django_capture_on_commit_callbacks
):
    """A thief with the password starts adding their own app but cannot
    confirm... and while unconfirmed, the new secret proves nothing."""
    page = anna_client.get(reverse("totp_enroll")).content.decode()
    from .helpers import secret_on

    thief_app = pyotp.TOTP(secret_on(page))
    walker = Walker(client_factory(), django_capture_on_commit_callbacks)
    flow_id = walker.start_flow("anna")
    url = reverse("totp_verify", kwargs={"flow_id": flow_id})
    assert walker.post(url, {"code": code(thief_app, steps=1)}).status_code == 400
    assert flow_id_of(url) and flow_in(walker.client, flow_id).proved == {}
