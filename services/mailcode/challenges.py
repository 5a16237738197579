"""E-postkod's code challenges: the core's code challenges
(``enrollment.codechallenges``) with E-postkod's model, settings, limits,
messages and delivery. Ask for a code, send it again, check it.
"""

from __future__ import annotations

from enrollment.codechallenges import CodeChannel, Cooldown

from . import conf, limits
from .address import decoy_mask, mask
from .codes import NAMESPACE, CodeError
from .delivery import queue_delivery
from .messages import message
from .models import MailChallenge


class MailCooldown(Cooldown):
    """A new code was asked for too soon after the last one."""

    message_for = staticmethod(message)


CHANNEL = CodeChannel(
    prefix="email",
    model=MailChallenge,
    namespace=NAMESPACE,
    binding_key="mailcode_binding",
    conf=conf,
    error=CodeError,
    cooldown_error=MailCooldown,
    limits=limits,
    destination_arg="address",
    queue_delivery=queue_delivery,
    mask=mask,
    decoy_mask=decoy_mask,
    message=message,
    status_param="address",
)


def start_mail_challenge(
    *, request, purpose: str, user_guid: str, username: str, address: str | None
) -> MailChallenge:
    """Make a code for ``purpose`` and queue it for ``address`` (None: a decoy,
    which sends nothing and accepts no code). Raises MailRateLimited."""
    return CHANNEL.start(
        request=request, purpose=purpose, user_guid=user_guid, username=username, to=address
    )


def resend_mail_code(*, request, challenge: MailChallenge) -> MailChallenge:
    """Replace the challenge's code and queue it. Raises MailCooldown, MailRateLimited."""
    return CHANNEL.resend(request=request, challenge=challenge)


def get_challenge(
    request, challenge_id, *, purpose: str | None, user_guid: str | None, for_update=False
) -> MailChallenge | None:
    return CHANNEL.get(
        request, challenge_id, purpose=purpose, user_guid=user_guid, for_update=for_update
    )


def verify_mail_code(
    *, request, challenge_id, purpose: str, user_guid: str, username: str = "", code: str
) -> MailChallenge:
    """Accept the typed ``code`` for the challenge, once. Raises CodeError, MailRateLimited."""
    return CHANNEL.verify(
        request=request,
        challenge_id=challenge_id,
        purpose=purpose,
        user_guid=user_guid,
        username=username,
        code=code,
    )


def status_of(challenge: MailChallenge) -> dict:
    return CHANNEL.status_of(challenge)


def prune_mail_challenges(*, older_than_seconds: int | None = None) -> int:
    return CHANNEL.prune(older_than_seconds=older_than_seconds)
