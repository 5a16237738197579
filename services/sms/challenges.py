"""Mobilkod's code challenges: the core's code challenges
(``enrollment.codechallenges``) with Mobilkod's model, settings, limits,
messages and delivery. Ask for a code, send it again, check it.
"""

from __future__ import annotations

from enrollment.codechallenges import CodeChannel, Cooldown

from . import conf, limits
from .codes import NAMESPACE, CodeError
from .delivery import queue_delivery
from .messages import message
from .models import SmsChallenge
from .phone import mask


class SmsCooldown(Cooldown):
    """A new code was asked for too soon after the last one."""

    message_for = staticmethod(message)


def decoy_mask(username: str) -> str:
    """A plausible masked Swedish mobile number, the same for the same name each
    time, under every spelling of it (``Anna``, ``DEMO\\anna``, ``anna@…``), as
    an enrolled number is the same whichever name of its account is typed."""
    from enrollment.crypto import pii_hash
    from identity.protection import canonical_name

    digest = pii_hash(canonical_name(username), purpose="sms-decoy")
    second = "02369"[int(digest[:2], 16) % 5]
    return f"+46 7{second}*** **{int(digest[2:6], 16) % 100:02d}"


CHANNEL = CodeChannel(
    prefix="sms",
    model=SmsChallenge,
    namespace=NAMESPACE,
    binding_key="sms_binding",
    conf=conf,
    error=CodeError,
    cooldown_error=SmsCooldown,
    limits=limits,
    destination_arg="phone_e164",
    queue_delivery=queue_delivery,
    mask=mask,
    decoy_mask=decoy_mask,
    message=message,
    status_param="phone",
)


def session_binding(request) -> str:
    """SHA-256 of a random token kept in this session (made on first use)."""
    return CHANNEL.session_binding(request)


def start_sms_challenge(
    *, request, purpose: str, user_guid: str, username: str, phone_e164: str | None
) -> SmsChallenge:
    """Make a code for ``purpose`` and queue it for ``phone_e164`` (None: a
    decoy, which sends nothing and accepts no code). Raises SmsRateLimited."""
    return CHANNEL.start(
        request=request, purpose=purpose, user_guid=user_guid, username=username, to=phone_e164
    )


def cooldown_left(challenge: SmsChallenge) -> int:
    return CHANNEL.cooldown_left(challenge)


def resend_sms_code(*, request, challenge: SmsChallenge) -> SmsChallenge:
    """Replace the challenge's code and queue it. Raises SmsCooldown, SmsRateLimited."""
    return CHANNEL.resend(request=request, challenge=challenge)


def get_challenge(
    request, challenge_id, *, purpose: str | None, user_guid: str | None, for_update=False
) -> SmsChallenge | None:
    return CHANNEL.get(
        request, challenge_id, purpose=purpose, user_guid=user_guid, for_update=for_update
    )


def verify_sms_code(
    *, request, challenge_id, purpose: str, user_guid: str, username: str = "", code: str
) -> SmsChallenge:
    """Accept the typed ``code`` for the challenge, once. Raises CodeError, SmsRateLimited."""
    return CHANNEL.verify(
        request=request,
        challenge_id=challenge_id,
        purpose=purpose,
        user_guid=user_guid,
        username=username,
        code=code,
    )


def status_of(challenge: SmsChallenge) -> dict:
    return CHANNEL.status_of(challenge)


def prune_sms_challenges(*, older_than_seconds: int | None = None) -> int:
    return CHANNEL.prune(older_than_seconds=older_than_seconds)
