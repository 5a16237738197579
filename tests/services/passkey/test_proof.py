"""A passkey as the proof in a flow: the right answer passes once; answers for
another challenge, origin or user, a removed key, a garbled answer, a cloned
key and a locked account are refused with a clear message and audited. The
answers are real: made by Chromium's virtual authenticator, then sent where
they do not belong."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from enrollment import proofs
from identity import protection
from services.passkey.models import PasskeyChallenge, PasskeyCredential

from .authenticator import Authenticator
from .conftest import options_in, register_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def start_flow(client, *, user_guid: str, username: str, purpose: str = "reset"):
    holder = SimpleNamespace(session=client.session)
    flow = proofs.start_flow(
        holder, purpose=purpose, user_guid=user_guid, username=username, return_url="/after/"
    )
    holder.session.save()
    return flow


def flow_in(client, flow_id: str):
    return proofs.get_flow(SimpleNamespace(session=client.session), flow_id)


def url(flow) -> str:
    return reverse("passkey_verify", kwargs={"flow_id": flow.id})


def failure(reason: str) -> AuditEvent:
    return AuditEvent.objects.get(action="passkey.verify_failed", details__reason=reason)


@pytest.fixture
def anna_key(client, login, demo_user, authenticator):
    """Anna has one key (in ``authenticator``); ``client`` is logged out again."""
    login()
    register_key(client, authenticator, name="Jobbtelefonen")
    client.logout()
    return PasskeyCredential.objects.get(user_guid=demo_user.guid)


def prove(client, flow, authenticator, *, options=None):
    options = options or options_in(client.get(url(flow)))
    return client.post(url(flow), {"credential": authenticator.get(options)})


def test_the_right_key_proves_the_passkey_once(client, anna_key, authenticator, demo_user):
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    assert [d["id"] for d in options["allowCredentials"]] == [anna_key.credential_id]
    assert options["userVerification"] == "required" and options["rpId"] == "localhost"

    answer = authenticator.get(options)
    response = client.post(url(flow), {"credential": answer})
    assert response.status_code == 302 and response["Location"] == "/after/"
    assert "passkey" in flow_in(client, flow.id).proved
    anna_key.refresh_from_db()
    assert anna_key.sign_count >= 1 and anna_key.last_used_at is not None
    event = AuditEvent.objects.get(action="passkey.verified")
    assert event.subject_guid == demo_user.guid and event.details["name"] == "Jobbtelefonen"

    # The same answer again, in a new flow: its challenge was answered already.
    again = start_flow(client, user_guid=demo_user.guid, username="anna")
    client.get(url(again))
    response = client.post(url(again), {"credential": answer})
    assert "hör inte till den här inloggningen" in response.content.decode()
    assert failure("wrong_challenge").subject_guid == demo_user.guid
    assert flow_in(client, again.id).failures == 1
    assert "passkey" not in flow_in(client, again.id).proved


def test_an_answer_for_another_challenge_is_refused(client, anna_key, authenticator, demo_user):
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    # The browser signs a challenge the server never gave this flow.
    forged = {**options, "challenge": base64.urlsafe_b64encode(b"x" * 32).decode().rstrip("=")}
    response = client.post(url(flow), {"credential": authenticator.get(forged)})
    assert response.status_code == 400
    assert "Svaret från nyckeln hör inte till den här inloggningen." in response.content.decode()
    assert failure("wrong_challenge")
    # The challenge is spent: the user starts again from the page, and it works.
    assert PasskeyChallenge.objects.filter(used_at__isnull=True).count() == 1
    assert prove(client, flow, authenticator).status_code == 302


def test_an_answer_for_another_flow_is_refused(client, anna_key, authenticator, demo_user):
    first = start_flow(client, user_guid=demo_user.guid, username="anna")
    second = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(first)))
    client.get(url(second))
    response = client.post(url(second), {"credential": authenticator.get(options)})
    assert "hör inte till den här inloggningen" in response.content.decode()
    assert "passkey" not in flow_in(client, second.id).proved


def test_an_answer_from_another_origin_is_refused(
    client, anna_key, authenticator, demo_user, settings
):
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    answer = authenticator.get(options)
    settings.WEBAUTHN_ORIGINS = ["https://portal.example.se"]
    response = client.post(url(flow), {"credential": answer})
    assert "kom från en annan webbplats än portalen" in response.content.decode()
    assert failure("wrong_origin")
    assert flow_in(client, flow.id).failures == 1


def test_another_users_key_is_refused(
    client, login, anna_key, authenticator, demo_user, bertil, page
):
    bertil_client = Client()
    login("bertil", "Bertils-Hemlis-42", c=bertil_client)
    bertils = Authenticator(page, transport="usb")
    register_key(bertil_client, bertils, name="Bertils nyckel")
    bertil_key = PasskeyCredential.objects.get(user_guid=bertil.guid)

    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    # Bertil's key signs Anna's challenge.
    options["allowCredentials"] = [{"type": "public-key", "id": bertil_key.credential_id}]
    answer = json.loads(bertils.get(options))
    assert answer["id"] == bertil_key.credential_id
    response = client.post(url(flow), {"credential": json.dumps(answer)})
    assert "Nyckeln du använde är inte registrerad på det här kontot." in (
        response.content.decode()
    )
    assert failure("other_user").details["key"]
    assert "passkey" not in flow_in(client, flow.id).proved


def test_a_removed_key_is_refused(client, login, anna_key, authenticator, demo_user):
    login()
    assert client.post(reverse("passkey_remove", kwargs={"key_id": anna_key.pk})).status_code == 302
    assert not PasskeyCredential.objects.exists()
    client.logout()

    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    assert anna_key.credential_id not in [d["id"] for d in options["allowCredentials"]]
    # The browser would find no key; the old answer is made for it anyway.
    options["allowCredentials"] = [{"type": "public-key", "id": anna_key.credential_id}]
    response = client.post(url(flow), {"credential": authenticator.get(options)})
    assert "Den kan ha tagits bort." in response.content.decode()
    assert failure("unknown_credential")


def test_garbled_and_malformed_answers_are_refused(client, anna_key, authenticator, demo_user):
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    answer = json.loads(authenticator.get(options))
    signature = bytearray(base64.urlsafe_b64decode(answer["response"]["signature"] + "=="))
    signature[-1] ^= 0x01
    answer["response"]["signature"] = base64.urlsafe_b64encode(signature).decode().rstrip("=")
    response = client.post(url(flow), {"credential": json.dumps(answer)})
    assert "Nyckeln kunde inte bekräftas." in response.content.decode()
    assert "signature" in failure("Could not verify authentication signature").details["reason"]
    assert flow_in(client, flow.id).failures == 1  # a forged signature counts

    client.get(url(flow))
    response = client.post(url(flow), {"credential": '{"id": 5'})
    assert "Svaret från din passkey eller säkerhetsnyckel gick inte att läsa." in (
        response.content.decode()
    )
    assert failure("not_json")
    assert flow_in(client, flow.id).failures == 1  # nothing was checked: not a try
    assert prove(client, flow, authenticator).status_code == 302


def test_a_cancelled_dialog_and_a_browser_without_webauthn(client, anna_key, demo_user):
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    client.get(url(flow))
    response = client.post(url(flow), {"client_error": "NotAllowedError"})
    assert "Inloggningen med passkey avbröts" in response.content.decode()
    assert failure("browser:NotAllowedError")
    response = client.post(url(flow), {"client_error": "unsupported"})
    assert "Din webbläsare kan inte använda passkeys" in response.content.decode()
    assert failure("browser:unsupported")
    assert flow_in(client, flow.id).failures == 0


def test_a_sign_count_that_goes_back_is_refused_as_a_clone(
    client, anna_key, authenticator, demo_user
):
    PasskeyCredential.objects.filter(pk=anna_key.pk).update(sign_count=1000)
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    response = prove(client, flow, authenticator)
    assert "den kan ha kopierats" in response.content.decode()
    event = AuditEvent.objects.get(action="passkey.clone_suspected")
    assert event.result == "denied" and event.details["stored_sign_count"] == 1000
    anna_key.refresh_from_db()
    assert anna_key.sign_count == 1000 and anna_key.last_used_at is None


def test_a_locked_account_is_refused_before_the_answer_is_checked(
    client, anna_key, authenticator, demo_user, settings
):
    settings.RESET_MAX_FAILED_PROOFS = 2
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    for _ in range(2):
        # a real answer to the wrong flow: a counted failure
        other = start_flow(client, user_guid=demo_user.guid, username="anna")
        options = options_in(client.get(url(other)))
        client.get(url(flow))
        client.post(url(flow), {"credential": authenticator.get(options)})
    assert protection.is_locked_out(user_guid=demo_user.guid)
    response = prove(client, flow, authenticator)
    assert "För många misslyckade försök att identifiera dig." in response.content.decode()
    assert "passkey" not in flow_in(client, flow.id).proved
    assert AuditEvent.objects.filter(action="protection.proof_refused").exists()


def test_an_unknown_account_gets_the_same_page_and_plausible_keys(
    client, anna_key, authenticator, demo_user
):
    nobody = start_flow(client, user_guid="", username="Nobody")
    first = options_in(client.get(url(nobody)))
    again = options_in(client.get(url(start_flow(client, user_guid="", username="NOBODY"))))
    ids = [d["id"] for d in first["allowCredentials"]]
    assert 1 <= len(ids) <= 2 and ids == [d["id"] for d in again["allowCredentials"]]
    assert all(len(base64.urlsafe_b64decode(i + "==")) in (16, 32, 48, 64) for i in ids)
    assert set(first) == set(
        options_in(client.get(url(start_flow(client, user_guid=demo_user.guid, username="anna"))))
    )

    # Anna's real key, signing for the unknown name: the same message as a
    # known account with a key that is not its own.
    options = {**first, "allowCredentials": [{"type": "public-key", "id": anna_key.credential_id}]}
    response = client.post(url(nobody), {"credential": authenticator.get(options)})
    assert "Nyckeln du använde är inte registrerad på det här kontot." in (
        response.content.decode()
    )
    assert "passkey" not in flow_in(client, nobody.id).proved


def test_an_account_without_keys_gets_decoy_keys_like_an_unknown_one(client, bertil):
    flow = start_flow(client, user_guid=bertil.guid, username="bertil")
    options = options_in(client.get(url(flow)))
    assert 1 <= len(options["allowCredentials"]) <= 2
    unknown = start_flow(client, user_guid="", username="Bertil")
    assert options_in(client.get(url(unknown)))["allowCredentials"] == options["allowCredentials"]


def test_an_expired_challenge_is_refused(client, anna_key, authenticator, demo_user):
    from django.utils import timezone

    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    options = options_in(client.get(url(flow)))
    PasskeyChallenge.objects.update(expires_at=timezone.now())
    response = client.post(url(flow), {"credential": authenticator.get(options)})
    assert "Tiden för att använda nyckeln gick ut" in response.content.decode()
    assert failure("challenge_used_or_expired")
