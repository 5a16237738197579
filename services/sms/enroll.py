"""Enrolling Mobilkod: a code to the new number, then the enrollment once it is confirmed."""

from __future__ import annotations

from django.db import transaction

from audit.service import record
from enrollment.crypto import decrypt, pii_hash
from enrollment.models import Enrollment
from enrollment.services import enrollment_for, save_enrollment

from .challenges import get_challenge, start_sms_challenge, verify_sms_code
from .models import SmsChallenge
from .service import SmsService

PURPOSE = "enroll"
_SESSION_KEY = "sms_enroll_challenge"


def begin_sms_enrollment(
    *, request, user_guid: str, username: str, phone_e164: str
) -> SmsChallenge:
    """Send a code to the number the user wants to enrol; nothing is saved as
    an enrollment yet. Raises SmsRateLimited."""
    challenge = start_sms_challenge(
        request=request,
        purpose=PURPOSE,
        user_guid=user_guid,
        username=username,
        phone_e164=phone_e164,
    )
    request.session[_SESSION_KEY] = str(challenge.pk)
    return challenge


def pending_enrollment_challenge(request, *, user_guid: str) -> SmsChallenge | None:
    """The enrollment challenge this session is confirming, if any."""
    return get_challenge(
        request, request.session.get(_SESSION_KEY), purpose=PURPOSE, user_guid=user_guid
    )


def confirm_sms_enrollment(
    *, request, user_guid: str, username: str, challenge_id, code: str
) -> Enrollment:
    """Check the code; when right, save (or replace) the user's Mobilkod
    enrollment with the number encrypted. Raises CodeError, SmsRateLimited."""
    challenge = verify_sms_code(
        request=request,
        challenge_id=challenge_id,
        purpose=PURPOSE,
        user_guid=user_guid,
        username=username,
        code=code,
    )
    previous = enrollment_for(user_guid=user_guid, service=SmsService.key)
    with transaction.atomic():
        enrollment = save_enrollment(
            request=request,
            user_guid=user_guid,
            username=username,
            service=SmsService.key,
            display=challenge.display,
            protected_value=challenge.phone_protected,
            value_hash=pii_hash(decrypt(challenge.phone_protected), purpose="phone"),
        )
        record(
            action="sms.enrolled",
            result="success",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={
                "display": challenge.display,
                "previous": previous.display if previous else "",
            },
        )
    request.session.pop(_SESSION_KEY, None)
    return enrollment
