"""Codes sent by a real Celery worker process (not inline)."""

from __future__ import annotations

import re
import time

import pytest

from services.sms.challenges import start_sms_challenge, status_of, verify_sms_code
from services.sms.models import SmsChallenge

from .helpers import make_request

pytestmark = pytest.mark.worker
GUID = "5f0c1d7e-0000-4000-8000-000000000001"


def wait_until_sent(challenge_id, timeout: float = 30) -> SmsChallenge:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        challenge = SmsChallenge.objects.get(pk=challenge_id)
        if not challenge.pending:
            return challenge
        time.sleep(0.1)
    return SmsChallenge.objects.get(pk=challenge_id)


def test_a_worker_sends_the_code_and_records_it_sent(worker_factory):
    # The console backend prints the SMS into the worker's log, where we read the code.
    worker = worker_factory(extra_env={"SMS_BACKEND": "services.sms.gateways.ConsoleBackend"})
    request = make_request()
    challenge = start_sms_challenge(
        request=request,
        purpose="enroll",
        user_guid=GUID,
        username="anna",
        phone_e164="+46701234512",
    )
    assert status_of(challenge)["state"] == "queued"
    challenge = wait_until_sent(challenge.pk)
    assert challenge.send_state == "sent", worker.log()
    assert challenge.provider_id.startswith("console-")
    match = re.search(r"to \+46701234512\nDin kod till .+ är (\d{6})\.", worker.log())
    assert match, worker.log()
    verified = verify_sms_code(
        request=request,
        challenge_id=challenge.pk,
        purpose="enroll",
        user_guid=GUID,
        code=match.group(1),
    )
    assert verified.used_at is not None
