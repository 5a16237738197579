"""Enrolling Mobilkod: a code to the new number, then the enrollment once it is confirmed."""

from __future__ import annotations

from enrollment import codeflows
from enrollment.crypto import pii_hash
from enrollment.models import Enrollment

from .challenges import CHANNEL
from .models import SmsChallenge
from .service import SmsService

_SESSION_KEY = "sms_enroll_challenge"


def begin_sms_enrollment(
    *, request, user_guid: str, username: str, phone_e164: str
) -> SmsChallenge:
    """Send a code to the number the user wants to enrol; nothing is saved as
    an enrollment yet. Raises SmsRateLimited."""
    return codeflows.begin_code_enrollment(
        request,
        channel=CHANNEL,
        session_key=_SESSION_KEY,
        user_guid=user_guid,
        username=username,
        to=phone_e164,
    )


def pending_enrollment_challenge(request, *, user_guid: str) -> SmsChallenge | None:
    """The enrollment challenge this session is confirming, if any."""
    return codeflows.pending_code_enrollment(
        request, channel=CHANNEL, session_key=_SESSION_KEY, user_guid=user_guid
    )


def confirm_sms_enrollment(
    *, request, user_guid: str, username: str, challenge_id, code: str
) -> Enrollment:
    """Check the code; when right, save (or replace) the user's Mobilkod
    enrollment with the number encrypted. Raises CodeError, SmsRateLimited."""
    return codeflows.confirm_code_enrollment(
        request,
        channel=CHANNEL,
        session_key=_SESSION_KEY,
        service_key=SmsService.key,
        user_guid=user_guid,
        username=username,
        challenge_id=challenge_id,
        code=code,
        value_hash=lambda phone: pii_hash(phone, purpose="phone"),
    )
