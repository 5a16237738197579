"""Checking a caller with Mobilkod for the helpdesk (``SmsService.check_caller``):
a code to the enrolled phone that the caller reads back, through the core's
code caller check (``enrollment.codecaller``)."""

from __future__ import annotations

from enrollment.base import CallerCheck
from enrollment.codecaller import PURPOSE, CodeCallerService, check_caller_with_code
from enrollment.crypto import decrypt

from . import challenges
from .limits import SmsRateLimited

SERVICE = CodeCallerService(
    method="sms",
    start=lambda request, user, enrollment: challenges.start_sms_challenge(
        request=request,
        purpose=PURPOSE,
        user_guid=user.guid,
        username=user.username,
        phone_e164=decrypt(enrollment.protected_value),
    ),
    find=lambda request, challenge_id, user: challenges.get_challenge(
        request, challenge_id, purpose=PURPOSE, user_guid=user.guid
    ),
    resend=lambda request, challenge: challenges.resend_sms_code(
        request=request, challenge=challenge
    ),
    verify=lambda request, challenge, user, code: challenges.verify_sms_code(
        request=request,
        challenge_id=challenge.pk,
        purpose=PURPOSE,
        user_guid=user.guid,
        username=user.username,
        code=code,
    ),
    status_of=challenges.status_of,
    refused=(SmsRateLimited, challenges.SmsCooldown),
    template="helpdesk/verify_sms.html",
)


def check_caller(caller: CallerCheck):
    """The helpdesk's check that the caller has the enrolled phone."""
    return check_caller_with_code(caller, SERVICE)
