"""Services for e-mail code challenges: ask for a code, send it again, check it.

Each writes its own audit rows. A challenge is bound to its purpose, its user
and the browser session that asked for it (``session_binding``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from audit.service import record
from enrollment import onetime
from enrollment.crypto import decrypt, encrypt

from . import conf, limits
from .address import decoy_mask, mask
from .codes import NAMESPACE, CodeError, hash_code, new_code, normalize_code
from .delivery import queue_delivery
from .messages import message
from .models import MailChallenge, SendState

_BINDING_KEY = "mailcode_binding"


class MailCooldown(Exception):
    """A new code was asked for too soon after the last one."""

    def __init__(self, seconds_left: int) -> None:
        super().__init__(seconds_left)
        self.seconds_left = seconds_left

    @property
    def message(self) -> str:
        return message("cooldown", count=self.seconds_left)


def session_binding(request) -> str:
    return onetime.session_binding(request, session_key=_BINDING_KEY)


def _purpose_kind(purpose: str) -> str:
    return purpose.split(":", 1)[0]


def _new_code_on(challenge: MailChallenge) -> str:
    code = new_code()
    now = timezone.now()
    challenge.code_hash = hash_code(
        challenge_id=str(challenge.pk), generation=challenge.generation, code=code
    )
    challenge.code_sent_at = now
    challenge.expires_at = now + timedelta(seconds=conf.code_validity_seconds())
    challenge.attempts = 0
    challenge.used_at = None
    challenge.send_state = SendState.QUEUED
    challenge.send_permanent = False
    challenge.send_error = ""
    challenge.sent_at = None
    return code


def start_mail_challenge(
    *, request, purpose: str, user_guid: str, username: str, address: str | None
) -> MailChallenge:
    """Make a code for ``purpose`` and queue it for ``address``.

    With ``address=None`` (an unknown user, or one without E-postkod, in a
    proof flow) the challenge is a decoy: it behaves the same but sends
    nothing and accepts no code. Raises MailRateLimited.
    """
    decoy = not (user_guid and address)
    limits.check_send(
        request=request,
        user_guid=user_guid,
        username=username,
        address=address or "",
        decoy=decoy,
    )
    challenge = MailChallenge(
        purpose=purpose,
        user_guid=user_guid,
        username=username[:256],
        binding_hash=session_binding(request),
        decoy=decoy,
        address_protected="" if decoy else encrypt(address),
        display=decoy_mask(username) if decoy else mask(address),
        language=(get_language() or "sv")[:8],
    )
    code = _new_code_on(challenge)
    with transaction.atomic():
        challenge.save()
        _record_requested(request, challenge, resend=False)
        queue_delivery(challenge, code)
    return challenge


def cooldown_left(challenge: MailChallenge) -> int:
    """Seconds before another code may be sent (0 after a failed send)."""
    return onetime.seconds_until_resend(
        sent_at=challenge.code_sent_at,
        cooldown=conf.resend_cooldown_seconds(),
        failed=challenge.failed,
    )


def resend_mail_code(*, request, challenge: MailChallenge) -> MailChallenge:
    """Replace the challenge's code with a new one and queue it.
    Raises MailCooldown, MailRateLimited."""
    wait = cooldown_left(challenge)
    if wait:
        raise MailCooldown(wait)
    limits.check_send(
        request=request,
        user_guid=challenge.user_guid,
        username=challenge.username,
        address="" if challenge.decoy else decrypt(challenge.address_protected),
        decoy=challenge.decoy,
    )
    challenge.generation += 1
    code = _new_code_on(challenge)
    with transaction.atomic():
        challenge.save()
        _record_requested(request, challenge, resend=True)
        queue_delivery(challenge, code)
    return challenge


def _record_requested(request, challenge: MailChallenge, *, resend: bool) -> None:
    details = {
        "purpose": _purpose_kind(challenge.purpose),
        "display": challenge.display,
        "resend": resend,
    }
    if challenge.decoy:
        details["decoy"] = True
    record(
        action="email.code_requested",
        result="info",
        request=request,
        subject=challenge.username,
        subject_guid=challenge.user_guid,
        details=details,
    )


def get_challenge(
    request,
    challenge_id,
    *,
    purpose: str | None,
    user_guid: str | None,
    for_update: bool = False,
) -> MailChallenge | None:
    """The challenge with this id if it was made in this session (and for this
    purpose and user, unless None is given); None otherwise."""
    try:
        challenge_id = uuid.UUID(str(challenge_id))
    except ValueError:
        return None
    queryset = MailChallenge.objects.select_for_update() if for_update else MailChallenge.objects
    challenge = queryset.filter(pk=challenge_id, binding_hash=session_binding(request)).first()
    if challenge is None:
        return None
    if purpose is not None and challenge.purpose != purpose:
        return None
    if user_guid is not None and challenge.user_guid != user_guid:
        return None
    return challenge


def verify_mail_code(
    *, request, challenge_id, purpose: str, user_guid: str, username: str = "", code: str
) -> MailChallenge:
    """Accept the typed ``code`` for the challenge, once; return the challenge.

    Raises CodeError: a malformed code (not counted as a try), or a wrong,
    expired, used or unknown one (audited; wrong ones count toward the limit
    of tries). Raises MailRateLimited. Call it outside any transaction: a
    wrong try must be saved even though an error is raised.
    """
    digits = normalize_code(code)
    limits.check_verify(request=request, user_guid=user_guid, username=username)
    with transaction.atomic():
        challenge = get_challenge(
            request, challenge_id, purpose=purpose, user_guid=user_guid, for_update=True
        )
        error = onetime.judge_code(
            challenge,
            digits=digits,
            namespace=NAMESPACE,
            max_attempts=conf.code_max_attempts(),
            error=CodeError,
        )
        if error is None:
            record(
                action="email.code_verified",
                result="success",
                request=request,
                subject=challenge.username,
                subject_guid=challenge.user_guid,
                details={"purpose": _purpose_kind(purpose), "display": challenge.display},
            )
            return challenge
        details = {"purpose": _purpose_kind(purpose), "reason": error.code}
        if challenge is not None:
            details |= {"display": challenge.display, "attempts": challenge.attempts}
        record(
            action="email.code_failed",
            result="failure",
            request=request,
            subject=challenge.username if challenge else username,
            subject_guid=user_guid,
            details=details,
        )
    raise error


def status_of(challenge: MailChallenge) -> dict:
    """What the code page shows about sending, also served as JSON."""
    if challenge.failed:
        key = "send_failed_permanent" if challenge.send_permanent else "send_failed_temporary"
        level = "error"
    elif challenge.pending:
        key, level = "send_queued", "info"
    else:
        key, level = "send_sent", "info"
    return {
        "state": challenge.send_state,
        "permanent": challenge.send_permanent,
        "level": level,
        "message": message(key, address=challenge.display),
        "resend_in": cooldown_left(challenge),
    }


def prune_mail_challenges(*, older_than_seconds: int | None = None) -> int:
    """Delete challenges created longer ago than the retention; returns how many."""
    seconds = (
        conf.challenge_retention_seconds() if older_than_seconds is None else older_than_seconds
    )
    cutoff = timezone.now() - timedelta(seconds=seconds)
    count, _ = MailChallenge.objects.filter(created_at__lt=cutoff).delete()
    return count
