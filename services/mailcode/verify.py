"""E-postkod inside a proof flow (reset, unlock, step-up): a code to the enrolled address.

For an unknown user, or one without E-postkod, everything looks the same (a
plausible masked address, "sent", "wrong code") but nothing is sent and no
code passes: the pages never tell who exists or what they enrolled.
"""

from __future__ import annotations

from enrollment import onetime, proofs
from enrollment.crypto import decrypt
from enrollment.services import enrollment_for

from .address import decoy_mask
from .challenges import get_challenge, resend_mail_code, start_mail_challenge, verify_mail_code
from .limits import MailRateLimited
from .models import MailChallenge
from .service import MailCodeService

_SESSION_KEY = "mailcode_verify_challenges"


def _purpose(flow: proofs.ProofFlow) -> str:
    return f"flow:{flow.id}"


def _target(flow: proofs.ProofFlow) -> tuple[str | None, str]:
    """(the enrolled address or None, what the page shows)."""
    enrollment = (
        enrollment_for(user_guid=flow.user_guid, service=MailCodeService.key)
        if flow.user_guid
        else None
    )
    if enrollment is not None and enrollment.protected_value:
        try:
            return decrypt(enrollment.protected_value), enrollment.display
        except ValueError:  # a key that was rotated away: treat as not enrolled
            pass
    return None, decoy_mask(flow.username)


def verify_display(flow: proofs.ProofFlow) -> str:
    """The masked address the page names before a code is sent."""
    return _target(flow)[1]


def flow_challenge(request, flow: proofs.ProofFlow) -> MailChallenge | None:
    challenge_id = (request.session.get(_SESSION_KEY) or {}).get(flow.id)
    return get_challenge(request, challenge_id, purpose=_purpose(flow), user_guid=flow.user_guid)


def send_verify_code(*, request, flow: proofs.ProofFlow) -> MailChallenge:
    """E-mail a code to the flow user's enrolled address (or a new one if a
    code was sent already). Raises MailRateLimited, MailCooldown."""
    challenge = flow_challenge(request, flow)
    if challenge is not None:
        return resend_mail_code(request=request, challenge=challenge)
    address, _display = _target(flow)
    challenge = start_mail_challenge(
        request=request,
        purpose=_purpose(flow),
        user_guid=flow.user_guid,
        username=flow.username,
        address=address,
    )
    live = {k: v for k, v in (request.session.get(_SESSION_KEY) or {}).items() if k != flow.id}
    live = {k: v for k, v in live.items() if proofs.get_flow(request, k) is not None}
    live[flow.id] = str(challenge.pk)
    request.session[_SESSION_KEY] = live
    return challenge


def prove_with_mail_code(*, request, flow: proofs.ProofFlow, code: str) -> MailChallenge:
    """Check the typed code; when right, mark E-postkod proved in the flow.
    The lockout first and the try counted before comparing
    (``enrollment.onetime.prove_with_code``). Raises CodeError or
    MailRateLimited (``locked_out`` when the account is)."""
    challenge = flow_challenge(request, flow)
    return onetime.prove_with_code(
        request=request,
        flow=flow,
        service_key=MailCodeService.key,
        verify=lambda: verify_mail_code(
            request=request,
            challenge_id=challenge.pk if challenge else None,
            purpose=_purpose(flow),
            user_guid=flow.user_guid,
            username=flow.username,
            code=code,
        ),
        refused=lambda exc: MailRateLimited("locked_out", exc.scope),
    )
