"""Limits on sending and checking Mobilkod codes: the core's code limits
(``enrollment.codelimits``: per account, per number, per address, a cooldown
per number, a global hourly budget with an alert) plus the countries numbers
may belong to ("SMS pumping" sends codes to far-away premium ranges).
"""

from __future__ import annotations

from enrollment.codelimits import CodeLimits, RateLimited

from . import conf


def _message(code: str) -> str:
    from .messages import message

    return message(code)


class SmsRateLimited(RateLimited):
    """Too many codes asked for or tried; ``code`` keys the message."""

    message_for = staticmethod(_message)


LIMITS = CodeLimits(
    prefix="sms",
    label="SMS",
    error=SmsRateLimited,
    rate_limit=conf.rate_limit,
    budget=conf.global_hourly_budget,
    cooldown=conf.resend_cooldown_seconds,
    budget_code="sms_budget",
)


def country_allowed(phone_e164: str) -> bool:
    from .phone import region_of

    allowed = conf.allowed_countries()
    return not allowed or region_of(phone_e164) in allowed


def check_send(
    *, request, user_guid: str, username: str, phone_e164: str = "", decoy: bool = False
) -> None:
    """Count one code sent; raise SmsRateLimited (audited) when over a limit."""
    LIMITS.check_lockout(request=request, user_guid=user_guid, username=username)
    if phone_e164 and not country_allowed(phone_e164):
        LIMITS.refuse(
            request,
            code="phone_country_not_allowed",
            scope="country",
            user_guid=user_guid,
            username=username,
        )
    LIMITS.count_send(
        request=request,
        user_guid=user_guid,
        username=username,
        destination=phone_e164,
        decoy=decoy,
    )


def check_verify(*, request, user_guid: str, username: str) -> None:
    """Count one typed code; raise SmsRateLimited (audited) when over a limit."""
    LIMITS.check_verify(request=request, user_guid=user_guid, username=username)
