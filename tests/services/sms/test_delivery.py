"""Sending through the task: the challenge records honestly how sending went."""

from __future__ import annotations

import pytest
import responses

from audit.models import AuditEvent
from enrollment.crypto import encrypt
from enrollment.services import save_enrollment
from services.sms.challenges import start_sms_challenge, status_of
from services.sms.delivery import deliver_sms_challenge
from services.sms.gateways import outbox
from services.sms.models import SmsChallenge
from services.sms.notices import send_sms_notice

from .helpers import make_request

pytestmark = pytest.mark.django_db
GUID = "5f0c1d7e-0000-4000-8000-000000000001"
URL = "https://sms.example.test/send"


@pytest.fixture
def http_gateway(settings):
    settings.SMS_BACKEND = "services.sms.gateways.HttpBackend"
    settings.SMS_HTTP_URL = URL
    settings.SMS_RETRIES = 1
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def start(capture, *, phone="+46701234512"):
    with capture(execute=True):
        challenge = start_sms_challenge(
            request=make_request(),
            purpose="enroll",
            user_guid=GUID,
            username="anna",
            phone_e164=phone,
        )
    challenge.refresh_from_db()
    return challenge


def test_a_sent_code_is_marked_sent_with_the_provider_id(
    django_capture_on_commit_callbacks, http_gateway
):
    http_gateway.post(URL, json={"id": "abc-1"})
    challenge = start(django_capture_on_commit_callbacks)
    assert (challenge.send_state, challenge.provider_id) == ("sent", "abc-1")
    assert status_of(challenge)["message"] == (
        "Koden skickades till +46 70*** **12. Kolla dina sms och skriv in koden nedan."
    )


def test_a_gateway_outage_is_recorded_as_a_temporary_failure(
    django_capture_on_commit_callbacks, http_gateway
):
    http_gateway.post(URL, status=503)
    challenge = start(django_capture_on_commit_callbacks)
    assert (challenge.send_state, challenge.send_permanent) == ("failed", False)
    assert len(http_gateway.calls) == 2  # retried once
    status = status_of(challenge)
    assert status["level"] == "error" and status["resend_in"] == 0
    assert status["message"].startswith("Sms-tjänsten svarar inte just nu")
    event = AuditEvent.objects.get(action="sms.send_failed")
    assert event.details["error"] == "server_error" and event.details["permanent"] is False


def test_a_refused_message_is_recorded_as_a_permanent_failure(
    django_capture_on_commit_callbacks, http_gateway
):
    http_gateway.post(URL, status=400, body="bad number")
    challenge = start(django_capture_on_commit_callbacks)
    assert (challenge.send_state, challenge.send_permanent) == ("failed", True)
    assert status_of(challenge)["message"].startswith("Det gick inte att skicka koden")


def test_a_broken_queue_fails_the_send_instead_of_leaving_it_queued(
    django_capture_on_commit_callbacks, monkeypatch
):
    from services.sms import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.deliver_sms_code, "delay", broker_down)
    challenge = start(django_capture_on_commit_callbacks)
    assert (challenge.send_state, challenge.send_error) == ("failed", "queue")
    assert outbox == []


def test_a_task_for_a_replaced_code_sends_nothing(django_capture_on_commit_callbacks):
    challenge = start(django_capture_on_commit_callbacks)
    SmsChallenge.objects.filter(pk=challenge.pk).update(generation=2, send_state="queued")
    result = deliver_sms_challenge(
        challenge_id=str(challenge.pk), generation=1, sealed_code=encrypt("111111")
    )
    assert result == "skipped" and len(outbox) == 1


def test_a_task_delivered_twice_sends_once(django_capture_on_commit_callbacks, monkeypatch):
    from services.sms import tasks

    sent_args = []
    monkeypatch.setattr(tasks.deliver_sms_code, "delay", lambda *args: sent_args.append(args))
    challenge = start(django_capture_on_commit_callbacks)
    assert challenge.send_state == "queued" and outbox == []
    (args,) = sent_args
    assert tasks.deliver_sms_code(*args) == "sent"
    assert tasks.deliver_sms_code(*args) == "skipped"
    assert len(outbox) == 1


def test_the_task_argument_carries_the_code_only_sealed(
    django_capture_on_commit_callbacks, monkeypatch
):
    from services.sms import tasks

    sent_args = []
    monkeypatch.setattr(tasks.deliver_sms_code, "delay", lambda *args: sent_args.append(args))
    start(django_capture_on_commit_callbacks)
    tasks.deliver_sms_code(*sent_args[0])
    code = outbox[-1].text.split(" är ")[1][:6]
    assert code not in repr(sent_args)


def test_a_notice_goes_to_the_enrolled_number_and_is_audited():
    save_enrollment(
        request=None,
        user_guid=GUID,
        username="anna",
        service="sms",
        display="+46 70*** **12",
        protected_value=encrypt("+46701234512"),
    )
    assert send_sms_notice(user_guid=GUID, text="Ditt lösenord har ändrats.", kind="reset")
    assert (outbox[-1].to, outbox[-1].text) == ("+46701234512", "Ditt lösenord har ändrats.")
    event = AuditEvent.objects.get(action="sms.notice_sent")
    assert event.details["kind"] == "reset" and event.details["display"] == "+46 70*** **12"


def test_no_notice_without_an_enrollment():
    assert send_sms_notice(user_guid=GUID, text="hej") is False
    assert outbox == []
