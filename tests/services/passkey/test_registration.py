"""Registering keys through the pages, with Chromium's virtual authenticator
making real answers (no mock of the WebAuthn library)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.models import Enrollment
from services.passkey.models import PasskeyCredential

from .authenticator import Authenticator, CeremonyFailed
from .conftest import options_in, register_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_named_key_is_saved_with_one_enrolment_and_told_about(
    client, login, demo_user, authenticator
):
    login()
    options = register_key(client, authenticator, name="Jobbtelefonen")

    assert options["authenticatorSelection"] == {
        "residentKey": "preferred",
        "requireResidentKey": False,
        "userVerification": "required",
    }
    assert options["attestation"] == "none"
    assert options["rp"]["id"] == "localhost"
    key = PasskeyCredential.objects.get()
    assert key.name == "Jobbtelefonen" and key.user_guid == demo_user.guid
    assert (
        authenticator.credentials()[0]["credentialId"]
        .rstrip("=")
        .replace("+", "-")
        .replace("/", "_")
        == key.credential_id
    )
    enrollment = Enrollment.objects.get(user_guid=demo_user.guid, service="passkey")
    assert enrollment.display == "Jobbtelefonen"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "passkey.registered" in actions and "enrollment.created" in actions
    assert any("Passkey eller säkerhetsnyckel registrerades" in m.body for m in mail.outbox)


def test_a_second_key_is_excluded_from_twice_and_named_by_its_type(
    client, login, demo_user, authenticator, page
):
    login()
    register_key(client, authenticator, name="Första")
    first = PasskeyCredential.objects.get()

    # The same authenticator again: its key is in excludeCredentials, so the
    # browser refuses, and the page says so.
    options = options_in(client.get(reverse("passkey_manage")))
    assert [d["id"] for d in options["excludeCredentials"]] == [first.credential_id]
    with pytest.raises(CeremonyFailed, match="InvalidStateError"):
        authenticator.create(options)
    response = client.post(
        reverse("passkey_manage"), {"action": "add", "client_error": "InvalidStateError"}
    )
    assert response.status_code == 400
    assert "Den här nyckeln är redan registrerad på ditt konto." in response.content.decode()

    second = Authenticator(page, transport="usb")
    register_key(client, second)
    keys = list(PasskeyCredential.objects.order_by("pk"))
    assert len(keys) == 2 and keys[0].user_handle == keys[1].user_handle
    assert len(second.credentials()) == 1 and len(authenticator.credentials()) == 1
    assert keys[1].name.startswith("Säkerhetsnyckel 20"), keys[1].name
    assert Enrollment.objects.filter(service="passkey").count() == 1
    assert Enrollment.objects.get(service="passkey").display == f"Första, {keys[1].name}"


def test_a_cancelled_dialog_says_so_and_is_audited(client, login, demo_user, authenticator):
    login()
    client.get(reverse("passkey_manage"))
    response = client.post(
        reverse("passkey_manage"), {"action": "add", "client_error": "NotAllowedError"}
    )
    assert response.status_code == 400
    assert "Inloggningen med passkey avbröts" in response.content.decode()
    event = AuditEvent.objects.get(action="passkey.register_failed")
    assert event.details["reason"] == "browser:NotAllowedError"
    assert not PasskeyCredential.objects.exists()


def test_an_answer_to_another_challenge_is_refused(client, login, demo_user, authenticator):
    login()
    old = options_in(client.get(reverse("passkey_manage")))
    client.get(reverse("passkey_manage"))  # a new challenge replaces the old one
    answer = authenticator.create(old)
    response = client.post(reverse("passkey_manage"), {"action": "add", "credential": answer})
    assert response.status_code == 400
    assert "hör inte till den här inloggningen" in response.content.decode()
    assert AuditEvent.objects.get(action="passkey.register_failed").details == {
        "reason": "wrong_challenge"
    }
    assert not PasskeyCredential.objects.exists()


def test_an_answer_from_another_origin_is_refused(
    client, login, demo_user, authenticator, settings
):
    login()
    options = options_in(client.get(reverse("passkey_manage")))
    answer = authenticator.create(options)
    settings.WEBAUTHN_ORIGINS = ["https://localhost"]
    response = client.post(reverse("passkey_manage"), {"action": "add", "credential": answer})
    assert "kom från en annan webbplats" in response.content.decode()
    assert AuditEvent.objects.get(action="passkey.register_failed").details == {
        "reason": "wrong_origin"
    }


def test_a_garbled_answer_is_refused_and_the_user_can_try_again(
    client, login, demo_user, authenticator
):
    login()
    options = options_in(client.get(reverse("passkey_manage")))
    answer = json.loads(authenticator.create(options))
    answer["response"]["attestationObject"] = answer["response"]["attestationObject"][:40]
    response = client.post(
        reverse("passkey_manage"), {"action": "add", "credential": json.dumps(answer)}
    )
    assert response.status_code == 400
    assert "gick inte att läsa" in response.content.decode() or "kunde inte bekräftas" in (
        response.content.decode()
    )
    response = client.post(reverse("passkey_manage"), {"action": "add", "credential": "{nej"})
    assert "gick inte att läsa" in response.content.decode()
    register_key(client, authenticator)  # and then it works
    assert PasskeyCredential.objects.count() == 1
