"""An account on hold ("Det var inte jag") cannot be reset or have its
enrolments changed, and the reset pages do not tell a stranger about the hold."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.notify import not_me_link
from identity import holds
from identity.models import AccountHold

from .conftest import prove_url
from .test_start import KNOWN, UNKNOWN, normalised, proof_page

pytestmark = pytest.mark.django_db


def _hold(user):
    AccountHold.objects.create(user_guid=user.guid, username=user.username, kind="password.reset")


def test_a_held_account_cannot_be_reset(walker, enrolled_user):
    _hold(enrolled_user)
    flow_id = walker.start_flow("anna")
    walker.prove_with_sms(flow_id, code="000000")  # the decoy flow: nothing can pass
    assert walker.get(prove_url(flow_id)).status_code == 200
    walker.set_password(flow_id, "Ny-Hemlis-Lang-42!")
    assert not AuditEvent.objects.filter(action="reset.password_set").exists()
    started = AuditEvent.objects.get(action="reset.started")
    assert started.details["held"] is True


def test_the_reset_pages_of_a_held_account_look_like_an_unknown_ones(walker, client, enrolled_user):
    _hold(enrolled_user)
    known = proof_page(walker, KNOWN)
    client.cookies.clear()
    unknown = proof_page(walker, UNKNOWN)
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


def test_a_hold_placed_during_a_reset_stops_it(walker, enrolled_user):
    flow_id = walker.proved_flow()
    _hold(enrolled_user)
    response = walker.set_password(flow_id, "Ny-Hemlis-Lang-42!")
    assert "Ny-Hemlis" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="reset.password_set", result="success").exists()


def test_a_held_account_cannot_change_its_enrolments(client, enrolled_user):
    client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    _hold(enrolled_user)
    response = client.get(reverse("sms_enroll"))
    assert response.status_code == 403
    assert "Kontot är spärrat för ändringar" in response.content.decode()


def test_the_reset_notice_carries_the_not_me_link(walker, enrolled_user, settings):
    from django.core import mail

    settings.PORTAL_URL = "https://portal.example.se/"
    flow_id = walker.proved_flow()
    walker.set_password(flow_id, "Ny-Hemlis-Lang-42!")
    notice = [m for m in mail.outbox if "återställdes" in m.body]
    assert notice and "https://portal.example.se/inte-jag/" in notice[0].body
    assert (
        holds.read_notice_link(notice[0].body.split("/inte-jag/")[1].split("/")[0]).kind
        == "password.reset"
    )


def test_not_me_link_is_empty_for_no_account():
    assert not_me_link(user_guid="", kind="password.reset") == ""


def test_a_held_account_refuses_self_service_proofs_but_not_the_helpdesks_caller_check(
    enrolled_user, rf
):
    from identity import protection

    _hold(enrolled_user)
    request = rf.get("/")
    with pytest.raises(protection.Refused):
        protection.begin_proof(
            request=request,
            user_guid=enrolled_user.guid,
            username="anna",
            service="sms",
            purpose="reset",
        )
    attempt = protection.begin_proof(
        request=request,
        user_guid=enrolled_user.guid,
        username="anna",
        service="sms",
        purpose="helpdesk",
    )
    protection.proof_passed(attempt)
    assert AuditEvent.objects.filter(
        action="protection.proof_refused", details__reason="on_hold"
    ).exists()
