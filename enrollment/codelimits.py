"""Limits on sending and checking one-time codes, shared by every code service
(Mobilkod, E-postkod, ...), through the protection service (durable, atomic,
sliding windows shared by every process).

Sending can be abused (SMS pumping, mail bombing an address, spam through
the portal): every code counts per account, per destination (a number, an
address) and per client address, in an hour and in a day, with a cooldown
per destination across flows (per name for a decoy), and against a global
hourly budget that raises an alert when it is spent.

A service makes one ``CodeLimits`` with its prefix (the throttle scopes
``<prefix>-…`` and the audit actions ``<prefix>.rate_limited`` /
``<prefix>.budget_exhausted``), its settings and its error class.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from audit.service import record
from identity import protection, throttle
from identity.throttle import Limit

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """Too many codes asked for or tried; ``code`` keys the message, ``scope``
    names the limit. Each service subclasses it and sets ``message_for``."""

    message_for: Callable[[str], str] | None = None

    def __init__(self, code: str, scope: str) -> None:
        super().__init__(code)
        self.code = code
        self.scope = scope

    @property
    def message(self) -> str:
        return type(self).message_for(self.code)


@dataclass(frozen=True)
class CodeLimits:
    prefix: str  # "sms": scopes "sms-send_user", audit "sms.rate_limited"
    label: str  # for the log's alert: "SMS"
    error: type[RateLimited]
    rate_limit: Callable[[str], tuple[int, int]]  # limit name -> (attempts, window)
    budget: Callable[[], int]  # codes per hour for the whole portal (0: none)
    cooldown: Callable[[], int]  # seconds between codes to one destination
    budget_code: str  # the message code when the budget is spent
    destination_limits: tuple[str, str] = ("send_number", "send_number_day")

    def limit(self, name: str, subject: str) -> Limit:
        limit, window = self.rate_limit(name)
        return Limit(f"{self.prefix}-{name}", subject, limit, window)

    def _global(self) -> Limit:
        budget = self.budget()
        return Limit(f"{self.prefix}-global", "all" if budget else "", budget, 3600)

    def refuse(self, request, *, code: str, scope: str, user_guid: str, username: str):
        """Audit the refusal and raise the service's error."""
        scope = scope.removeprefix(f"{self.prefix}-")
        record(
            action=f"{self.prefix}.rate_limited",
            result="denied",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={"scope": scope},
        )
        raise self.error(code, scope)

    def _alert_budget(self, request) -> None:
        """Once an hour at the most: the global budget is spent."""
        if throttle.attempt([Limit(f"{self.prefix}-global-alert", "all", 1, 3600)]) is None:
            logger.error(
                "%s budget spent: %s codes in the last hour; no codes are sent until it frees up",
                self.label,
                self.budget(),
            )
            record(
                action=f"{self.prefix}.budget_exhausted",
                result="error",
                request=request,
                details={"budget": self.budget(), "window_seconds": 3600},
            )

    def check_lockout(self, *, request, user_guid: str, username: str) -> None:
        """A locked-out account gets no code at all."""
        if protection.is_locked_out(user_guid=user_guid, username=username):
            self.refuse(
                request,
                code="locked_out",
                scope="locked_out",
                user_guid=user_guid,
                username=username,
            )

    def count_send(
        self, *, request, user_guid: str, username: str, destination: str = "", decoy: bool = False
    ) -> None:
        """Count one code sent to ``destination``; raise the service's error
        (audited) when over a limit.

        A decoy (a proof flow of an unknown name, or of an account without
        the service) is counted like a real code per account and address and
        is refused when the global budget is spent, but does not spend it: it
        costs nothing, and answering it differently would tell who exists."""
        subject = protection.account_subject(user_guid=user_guid, username=username)
        origin = protection.origin(request)
        # The cooldown holds across flows: per destination, and for a decoy
        # per the name it stands for, so that a new flow answers alike for
        # both. A decoy counts per destination too, on the one it pretends to
        # send to: a limit only real destinations had would tell who enrolled.
        target = destination or (f"decoy:{subject}" if decoy else "")
        limits = [
            Limit(f"{self.prefix}-cooldown", target, 1, self.cooldown()),
            self.limit("send_user", subject),
            self.limit("send_user_day", subject),
            self.limit("send_ip", origin),
            self.limit("send_ip_day", origin),
        ]
        if target:
            limits += [self.limit(name, target) for name in self.destination_limits]
        budget = self._global()
        if decoy:
            if budget.subject and throttle.is_full(budget):
                self._alert_budget(request)
                self.refuse(
                    request,
                    code=self.budget_code,
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
            self._alert_budget(request)
            code = self.budget_code
        else:
            code = "rate_limited_send"
        self.refuse(request, code=code, scope=full.scope, user_guid=user_guid, username=username)

    def forget_cooldown(self, destination: str) -> None:
        """A code that could not be sent bombed nobody: another may be asked
        for at once (the hourly and daily limits still count it)."""
        if destination:
            throttle.clear(f"{self.prefix}-cooldown", destination)

    def check_verify(self, *, request, user_guid: str, username: str) -> None:
        """Count one typed code; raise the service's error (audited) when over a limit."""
        subject = protection.account_subject(user_guid=user_guid, username=username)
        full = throttle.attempt(
            [
                self.limit("verify_user", subject),
                self.limit("verify_ip", protection.origin(request)),
            ]
        )
        if full is not None:
            self.refuse(
                request,
                code="rate_limited_verify",
                scope=full.scope,
                user_guid=user_guid,
                username=username,
            )
