"""Limits on sending and checking codes, through the protection service
(durable, atomic, sliding windows shared by every process).

Sending costs money and can be abused ("SMS pumping"): every code counts
per account, per number and per address, in an hour and in a day, with a
cooldown per number across flows (per name for a decoy), and against a global
hourly budget that raises an alert when it is spent.
"""

from __future__ import annotations

import logging

from audit.service import record
from identity import protection, throttle
from identity.throttle import Limit

from . import conf

logger = logging.getLogger(__name__)


class SmsRateLimited(Exception):
    """Too many codes asked for or tried; ``code`` keys the message."""

    def __init__(self, code: str, scope: str) -> None:
        super().__init__(code)
        self.code = code
        self.scope = scope

    @property
    def message(self) -> str:
        from .messages import message

        return message(self.code)


def _limit(name: str, subject: str) -> Limit:
    limit, window = conf.rate_limit(name)
    return Limit(f"sms-{name}", subject, limit, window)


def _global_limit() -> Limit:
    return Limit(
        "sms-global",
        "all" if conf.global_hourly_budget() else "",
        conf.global_hourly_budget(),
        3600,
    )


def _refuse(request, *, code: str, scope: str, user_guid: str, username: str) -> None:
    scope = scope.removeprefix("sms-")
    record(
        action="sms.rate_limited",
        result="denied",
        request=request,
        subject=username,
        subject_guid=user_guid,
        details={"scope": scope},
    )
    raise SmsRateLimited(code, scope)


def _alert_budget(request) -> None:
    """Once an hour at the most: the global budget is spent."""
    if throttle.attempt([Limit("sms-global-alert", "all", 1, 3600)]) is None:
        logger.error(
            "SMS budget spent: %s codes in the last hour; no codes are sent until it frees up",
            conf.global_hourly_budget(),
        )
        record(
            action="sms.budget_exhausted",
            result="error",
            request=request,
            details={"budget": conf.global_hourly_budget(), "window_seconds": 3600},
        )


def country_allowed(phone_e164: str) -> bool:
    from .phone import region_of

    allowed = conf.allowed_countries()
    return not allowed or region_of(phone_e164) in allowed


def check_send(
    *, request, user_guid: str, username: str, phone_e164: str = "", decoy: bool = False
) -> None:
    """Count one code sent; raise SmsRateLimited (audited) when over a limit.

    A decoy (a proof flow of an unknown name, or of an account without
    Mobilkod) is counted like a real code per account and address and is
    refused when the global budget is spent, but does not spend it: it costs
    nothing, and answering it differently would tell who exists."""
    if protection.is_locked_out(user_guid=user_guid, username=username):
        _refuse(
            request,
            code="locked_out",
            scope="locked_out",
            user_guid=user_guid,
            username=username,
        )
    if phone_e164 and not country_allowed(phone_e164):
        _refuse(
            request,
            code="phone_country_not_allowed",
            scope="country",
            user_guid=user_guid,
            username=username,
        )
    subject = protection.account_subject(user_guid=user_guid, username=username)
    cooldown = conf.resend_cooldown_seconds()
    origin = protection.origin(request)
    # The cooldown holds across flows: per number, and for a decoy per the
    # name it stands for, so that a new flow answers alike for both.
    # A decoy counts per number too, on the number it pretends to send to:
    # a limit that only real numbers had would tell who has Mobilkod.
    number = phone_e164 or (f"decoy:{subject}" if decoy else "")
    limits = [
        Limit("sms-cooldown", number, 1, cooldown),
        _limit("send_user", subject),
        _limit("send_user_day", subject),
        _limit("send_ip", origin),
        _limit("send_ip_day", origin),
    ]
    if number:
        limits += [_limit("send_number", number), _limit("send_number_day", number)]
    budget = _global_limit()
    if decoy:
        if budget.subject and throttle.is_full(budget):
            _alert_budget(request)
            _refuse(
                request,
                code="sms_budget",
                scope=budget.scope,
                user_guid=user_guid,
                username=username,
            )
    else:
        limits.append(budget)
    full = throttle.attempt(limits)
    if full is None:
        return
    if full.scope == budget.scope:
        _alert_budget(request)
        _refuse(
            request, code="sms_budget", scope=full.scope, user_guid=user_guid, username=username
        )
    _refuse(
        request, code="rate_limited_send", scope=full.scope, user_guid=user_guid, username=username
    )


def check_verify(*, request, user_guid: str, username: str) -> None:
    """Count one typed code; raise SmsRateLimited (audited) when over a limit."""
    full = throttle.attempt(
        [
            _limit(
                "verify_user", protection.account_subject(user_guid=user_guid, username=username)
            ),
            _limit("verify_ip", protection.origin(request)),
        ]
    )
    if full is not None:
        _refuse(
            request,
            code="rate_limited_verify",
            scope=full.scope,
            user_guid=user_guid,
            username=username,
        )
