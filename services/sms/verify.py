"""Mobilkod inside a proof flow (reset, unlock, step-up): a code to the enrolled number.

For an unknown user, or one without Mobilkod, everything looks the same (a
plausible masked number, "sent", "wrong code") but nothing is sent and no
code passes: the pages never tell who exists or what they enrolled.
"""

from __future__ import annotations

from enrollment import onetime, proofs
from enrollment.crypto import decrypt
from enrollment.services import enrollment_for

from .challenges import (
    decoy_mask,
    get_challenge,
    resend_sms_code,
    start_sms_challenge,
    verify_sms_code,
)
from .limits import SmsRateLimited
from .models import SmsChallenge
from .service import SmsService

_SESSION_KEY = "sms_verify_challenges"


def _purpose(flow: proofs.ProofFlow) -> str:
    return f"flow:{flow.id}"


def _target(flow: proofs.ProofFlow) -> tuple[str | None, str]:
    """(the enrolled E.164 number or None, what the page shows)."""
    enrollment = (
        enrollment_for(user_guid=flow.user_guid, service=SmsService.key) if flow.user_guid else None
    )
    if enrollment is not None and enrollment.protected_value:
        try:
            return decrypt(enrollment.protected_value), enrollment.display
        except ValueError:  # a key that was rotated away: treat as not enrolled
            pass
    return None, decoy_mask(flow.username)


def verify_display(flow: proofs.ProofFlow) -> str:
    """The masked number the page names before a code is sent."""
    return _target(flow)[1]


def flow_challenge(request, flow: proofs.ProofFlow) -> SmsChallenge | None:
    challenge_id = (request.session.get(_SESSION_KEY) or {}).get(flow.id)
    return get_challenge(request, challenge_id, purpose=_purpose(flow), user_guid=flow.user_guid)


def send_verify_code(*, request, flow: proofs.ProofFlow) -> SmsChallenge:
    """Send a code to the flow user's enrolled number (or a new one if a code
    was sent already). Raises SmsRateLimited, SmsCooldown."""
    challenge = flow_challenge(request, flow)
    if challenge is not None:
        return resend_sms_code(request=request, challenge=challenge)
    phone, _display = _target(flow)
    challenge = start_sms_challenge(
        request=request,
        purpose=_purpose(flow),
        user_guid=flow.user_guid,
        username=flow.username,
        phone_e164=phone,
    )
    live = {k: v for k, v in (request.session.get(_SESSION_KEY) or {}).items() if k != flow.id}
    live = {k: v for k, v in live.items() if proofs.get_flow(request, k) is not None}
    live[flow.id] = str(challenge.pk)
    request.session[_SESSION_KEY] = live
    return challenge


def prove_with_sms_code(*, request, flow: proofs.ProofFlow, code: str) -> SmsChallenge:
    """Check the typed code; when right, mark Mobilkod proved in the flow.

    The account's lockout is checked first and the try is counted on the
    account before the code is compared (``identity.protection``): a wrong
    code is a failed proof of the account whatever page comes next. Raises
    CodeError or SmsRateLimited (``locked_out`` when the account is)."""
    challenge = flow_challenge(request, flow)
    return onetime.prove_with_code(
        request=request,
        flow=flow,
        service_key=SmsService.key,
        verify=lambda: verify_sms_code(
            request=request,
            challenge_id=challenge.pk if challenge else None,
            purpose=_purpose(flow),
            user_guid=flow.user_guid,
            username=flow.username,
            code=code,
        ),
        refused=lambda exc: SmsRateLimited("locked_out", exc.scope),
    )
