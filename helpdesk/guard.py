"""The protection of the helpdesk's caller checks.

A caller check is a proof of the account like any other: it waits for the
account's lockout and a miss counts as a failed proof of the account. On top
of that, misses are limited per helpdesk member and per checked account, so
that a helpdesk login cannot be used to guess a personnummer or a code; a
limit reached is an alert (ERROR in the log and an audit event).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from audit.service import record
from enrollment.stars import maturing
from identity import protection, throttle
from identity.throttle import Limit

logger = logging.getLogger(__name__)


def miss_limits() -> dict[str, tuple[int, int]]:
    """Failed caller checks (count, window seconds) per helpdesk member and per account."""
    limits = {"staff": (10, 3600), "account": (3, 3600)}
    return {**limits, **(getattr(settings, "HELPDESK_CALLER_CHECK_LIMITS", {}) or {})}


class CheckRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        if self.code == "young":
            return _(
                "Tjänsten registrerades eller ändrades nyss, så den kan inte användas för att "
                "kontrollera den som ringer ännu. Kontrollera den som ringer på annat sätt, till "
                "exempel med legitimation."
            )
        if self.code == "locked_out":
            return _(
                "Kontot har för många misslyckade identifieringar just nu. Kontrollera den som "
                "ringer på annat sätt, till exempel med legitimation."
            )
        return _(
            "För många misslyckade kontroller. Vänta en stund, och kontrollera den som ringer "
            "på annat sätt."
        )


@dataclass(frozen=True)
class CallerCheck:
    proof: protection.ProofAttempt
    misses: list[Limit]
    token: str


def _misses(request, user) -> list[Limit]:
    limits = miss_limits()
    subject = protection.account_subject(user_guid=user.guid, username=user.username)
    return [
        Limit("helpdesk-miss-staff", f"staff:{request.user.pk}", *limits["staff"]),
        Limit("helpdesk-miss-account", subject, *limits["account"]),
    ]


def begin_check(*, request, user, method: str, token: str = "") -> CallerCheck:
    """Refuse a service in its quiet period; take a slot of the member's and
    the account's misses and of the account's failed proofs. Raises
    CheckRefused (audited; an alert when a miss limit is reached)."""
    if method in maturing(user.guid):
        # A number changed today may be a thief's: the quiet period that keeps
        # it from resetting on its own keeps it from vouching for a caller too.
        record(
            action="helpdesk.verify_caller",
            result="denied",
            request=request,
            subject=user.username,
            subject_guid=user.guid,
            details={"method": method, "reason": "service_too_new"},
        )
        raise CheckRefused("young")
    token = token or secrets.token_hex(8)
    misses = _misses(request, user)
    full = throttle.attempt(misses, token=token)
    if full is not None:
        alert = Limit("helpdesk-miss-alert", f"{full.scope}:{full.subject}", 1, full.window)
        if throttle.attempt([alert]) is None:  # once per window, not per refusal
            logger.error("helpdesk caller checks: %s reached (%s misses)", full.scope, full.limit)
        record(
            action="helpdesk.verify_caller",
            result="denied",
            request=request,
            subject=user.username,
            subject_guid=user.guid,
            details={"method": method, "reason": "rate_limited", "scope": full.scope},
        )
        raise CheckRefused("rate_limited")
    try:
        proof = protection.begin_proof(
            request=request,
            user_guid=user.guid,
            username=user.username,
            service=method,
            purpose="helpdesk",
            token=token,
        )
    except protection.Refused:
        for limit in misses:
            throttle.release(limit, token)
        raise CheckRefused("locked_out") from None
    return CallerCheck(proof=proof, misses=misses, token=token)


def check_passed(check: CallerCheck) -> None:
    """Not a miss (a right answer, or nothing was compared)."""
    for limit in check.misses:
        throttle.release(limit, check.token)
    protection.proof_passed(check.proof)


def check_missed(check: CallerCheck, *, request) -> None:
    protection.proof_failed(check.proof, request=request, purpose="helpdesk")


def check_handed_over(check: CallerCheck) -> None:
    """The answer is BankID's now (an order was started): the misses are given
    back, the proof slot is settled when the order ends."""
    for limit in check.misses:
        throttle.release(limit, check.token)
