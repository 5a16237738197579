"""Limits on e-mailing and checking codes: the core's code limits
(``enrollment.codelimits``): per account, per address, per client address,
hourly and daily, a cooldown per address, and a global hourly budget with an
alert. Mail bombing an address or pumping codes through many accounts stops
at the per-address, per-client and global limits."""

from __future__ import annotations

from enrollment.codelimits import CodeLimits, RateLimited

from . import conf


def _message(code: str) -> str:
    from .messages import message

    return message(code)


class MailRateLimited(RateLimited):
    """Too many codes asked for or tried; ``code`` keys the message."""

    message_for = staticmethod(_message)


LIMITS = CodeLimits(
    prefix="email",
    label="E-mail code",
    error=MailRateLimited,
    rate_limit=conf.rate_limit,
    budget=conf.global_hourly_budget,
    cooldown=conf.resend_cooldown_seconds,
    budget_code="mail_budget",
    destination_limits=("send_address", "send_address_day"),
)


def destination(address: str) -> str:
    """What the per-address limits count: the address's keyed hash, so no
    address sits in the throttle table."""
    from .address import address_hash

    return address_hash(address) if address else ""


def forget_cooldown(address: str) -> None:
    """After a failed send the user may ask for a new code at once."""
    LIMITS.forget_cooldown(destination(address))


def check_send(
    *, request, user_guid: str, username: str, address: str = "", decoy: bool = False
) -> None:
    """Count one code e-mailed; raise MailRateLimited (audited) when over a limit.
    The address counts by its keyed hash (``destination``)."""
    LIMITS.check_lockout(request=request, user_guid=user_guid, username=username)
    LIMITS.count_send(
        request=request,
        user_guid=user_guid,
        username=username,
        destination=destination(address),
        decoy=decoy,
    )


def check_verify(*, request, user_guid: str, username: str) -> None:
    """Count one typed code; raise MailRateLimited (audited) when over a limit."""
    LIMITS.check_verify(request=request, user_guid=user_guid, username=username)
