"""E-postkod inside a proof flow (reset, unlock, step-up): a code to the enrolled address.

For an unknown user, or one without E-postkod, everything looks the same (a
plausible masked address, "sent", "wrong code") but nothing is sent and no
code passes: the pages never tell who exists or what they enrolled.
"""

from __future__ import annotations

from enrollment import codeflows, proofs

from .challenges import CHANNEL
from .limits import MailRateLimited
from .models import MailChallenge
from .service import MailCodeService

_SESSION_KEY = "mailcode_verify_challenges"


def _target(flow: proofs.ProofFlow) -> tuple[str | None, str]:
    """(the enrolled address or None, what the page shows)."""
    return codeflows.flow_target(flow, channel=CHANNEL, service_key=MailCodeService.key)


def verify_display(flow: proofs.ProofFlow) -> str:
    """The masked address the page names before a code is sent."""
    return _target(flow)[1]


def flow_challenge(request, flow: proofs.ProofFlow) -> MailChallenge | None:
    return codeflows.flow_challenge(request, flow, channel=CHANNEL, session_key=_SESSION_KEY)


def send_verify_code(*, request, flow: proofs.ProofFlow) -> MailChallenge:
    """E-mail a code to the flow user's enrolled address (or a new one if a
    code was sent already). Raises MailRateLimited, MailCooldown."""
    return codeflows.send_flow_code(
        request, flow, channel=CHANNEL, session_key=_SESSION_KEY, to=_target(flow)[0]
    )


def prove_with_mail_code(*, request, flow: proofs.ProofFlow, code: str) -> MailChallenge:
    """Check the typed code; when right, mark E-postkod proved in the flow. The
    lockout first and the try counted before comparing. Raises CodeError or
    MailRateLimited (``locked_out`` when the account is)."""
    return codeflows.prove_flow_code(
        request,
        flow,
        channel=CHANNEL,
        session_key=_SESSION_KEY,
        service_key=MailCodeService.key,
        code=code,
        refused=lambda exc: MailRateLimited("locked_out", exc.scope),
    )
