"""Mobilkod inside a proof flow (reset, unlock, step-up): a code to the enrolled number.

For an unknown user, or one without Mobilkod, everything looks the same (a
plausible masked number, "sent", "wrong code") but nothing is sent and no
code passes: the pages never tell who exists or what they enrolled.
"""

from __future__ import annotations

from enrollment import codeflows, proofs

from .challenges import CHANNEL
from .limits import SmsRateLimited
from .models import SmsChallenge
from .service import SmsService

_SESSION_KEY = "sms_verify_challenges"


def _target(flow: proofs.ProofFlow) -> tuple[str | None, str]:
    """(the enrolled E.164 number or None, what the page shows)."""
    return codeflows.flow_target(flow, channel=CHANNEL, service_key=SmsService.key)


def verify_display(flow: proofs.ProofFlow) -> str:
    """The masked number the page names before a code is sent."""
    return _target(flow)[1]


def flow_challenge(request, flow: proofs.ProofFlow) -> SmsChallenge | None:
    return codeflows.flow_challenge(request, flow, channel=CHANNEL, session_key=_SESSION_KEY)


def send_verify_code(*, request, flow: proofs.ProofFlow) -> SmsChallenge:
    """Send a code to the flow user's enrolled number (or a new one if a code
    was sent already). Raises SmsRateLimited, SmsCooldown."""
    return codeflows.send_flow_code(
        request, flow, channel=CHANNEL, session_key=_SESSION_KEY, to=_target(flow)[0]
    )


def prove_with_sms_code(*, request, flow: proofs.ProofFlow, code: str) -> SmsChallenge:
    """Check the typed code; when right, mark Mobilkod proved in the flow. The
    lockout first and the try counted before comparing. Raises CodeError or
    SmsRateLimited (``locked_out`` when the account is)."""
    return codeflows.prove_flow_code(
        request,
        flow,
        channel=CHANNEL,
        session_key=_SESSION_KEY,
        service_key=SmsService.key,
        code=code,
        refused=lambda exc: SmsRateLimited("locked_out", exc.scope),
    )
