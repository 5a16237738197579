"""The protection service: every recovery step asks it first.

One place decides whose attempts count where, so that no page, flow or
spelling of a name has a budget of its own:

* the **subject** of a limit is the canonical account: its objectGUID once
  the directory has named it, else the typed name folded the way the
  directory folds it (case, ``DOMAIN\\user``, ``user@domain``), so an
  unknown name is limited exactly like a known one;
* a **proof attempt** (a typed code, a BankID order in a proof flow, a
  helpdesk caller check) first takes a slot of the account's failed-proof
  budget and gives it back only when the proof passes: the lockout is
  checked before the attempt and the failure is counted the moment it
  happens, whatever page comes next;
* the counters live in ``identity.throttle`` (durable, atomic, sliding).
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from audit.service import client_ip, record

from . import conf, throttle
from .throttle import Limit

logger = logging.getLogger(__name__)

PROOF_SCOPE = "proof-failures"

# What a person is told when their account may not try a proof now; every
# page and service that refuses a proof for it says the same.
LOCKED_OUT_MESSAGE = _(
    "För många misslyckade försök att identifiera dig. Vänta en stund och försök igen, "
    "eller kontakta IT-supporten."
)
_LOCKOUT_NOTICE_SCOPE = "proof-lockout-noticed"


class Refused(Exception):
    """An attempt the protection service refused: ``code`` is ``rate_limited``
    or ``locked_out``; ``scope`` names the limit; ``retry_after`` in seconds."""

    def __init__(self, code: str, *, scope: str = "", retry_after: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.scope = scope
        self.retry_after = retry_after


# --- whose attempt -------------------------------------------------------------------
def canonical_name(typed: str) -> str:
    """A typed account name folded the way the directory folds it, so that
    the spellings it would take for one account count as one even when no
    account has that name: ``Anna``, ``DEMO\\anna`` (this domain's NetBIOS
    name) and ``anna@demo.local`` (this domain's UPN suffix) are all ``anna``.
    Other domains and suffixes are left as typed: the directory does not fold
    them either, and folding them here would make an unknown name behave
    differently from a known one."""
    from .directory import get_directory
    from .directory.names import account_name

    directory = get_directory()
    name = account_name((typed or "").strip(), domain=directory.netbios_domain())
    name = name.strip().casefold()
    local, at, suffix = name.rpartition("@")
    if at and local and suffix in directory.upn_suffixes():
        name = local
    return name.strip()


def account_subject(*, user_guid: str = "", username: str = "") -> str:
    """The subject of per-account limits: the account when it is known (any
    of its names), else the folded typed name."""
    if user_guid:
        return f"guid:{user_guid.lower()}"
    name = canonical_name(username)
    if name:
        return f"name:{name}"
    # Nothing left after folding (``DOMAIN\``, ``@x``): still limited, by what was typed.
    raw = (username or "").strip().casefold()
    return f"raw:{raw}" if raw else ""


def origin(request) -> str:
    """Whom per-address limits count: the client address, or for helpdesk
    staff (a whole support desk sits behind one address) the staff member."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return f"staff:{user.pk}"
    return address_subject(client_ip(request) or "")


def address_subject(ip: str) -> str:
    """An IPv4 address as it is; an IPv6 address as its /64, which one
    subscriber gets whole (counting single addresses would give them 2^64
    budgets)."""
    ip = (ip or "").strip()
    if ip.startswith("[") and "]" in ip:  # [v6]:port
        ip = ip[1 : ip.index("]")]
    elif ip.count(":") == 1:  # v4:port
        ip = ip.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


# --- rate limits ---------------------------------------------------------------------
def check_rate(
    limits: Iterable[Limit],
    *,
    request,
    action: str,
    subject: str = "",
    subject_guid: str = "",
    token: str = "",
) -> None:
    """Count one attempt against every limit (all or none); raise Refused
    (``rate_limited``, audited) when one is full."""
    full = throttle.attempt(limits, token=token)
    if full is None:
        return
    record(
        action=action,
        result="denied",
        request=request,
        subject=subject,
        subject_guid=subject_guid,
        details={"reason": "rate_limited", "scope": full.scope, "limit": full.limit},
    )
    raise Refused("rate_limited", scope=full.scope, retry_after=throttle.retry_after(full))


# --- proofs and the lockout -------------------------------------------------------------
def proof_limit(subject: str) -> Limit:
    return Limit(PROOF_SCOPE, subject, conf.max_failed_proofs(), conf.lockout_seconds())


def is_locked_out(*, user_guid: str = "", username: str = "") -> bool:
    subject = account_subject(user_guid=user_guid, username=username)
    return bool(subject) and throttle.is_full(proof_limit(subject))


@dataclass(frozen=True)
class ProofAttempt:
    """A proof under way: its slot in the account's failed-proof budget."""

    subject: str
    token: str
    service: str
    user_guid: str
    username: str


def begin_proof(
    *, request, user_guid: str, username: str, service: str, purpose: str, token: str = ""
) -> ProofAttempt:
    """Check the account's lockout and count this attempt as a failed proof
    until ``proof_passed`` takes it back. Raises Refused("locked_out")."""
    subject = account_subject(user_guid=user_guid, username=username)
    token = token or secrets.token_hex(8)
    limit = proof_limit(subject)
    if purpose != "helpdesk" and _on_hold(user_guid):
        # The owner said "Det var inte jag": no self-service proof for the
        # account now (the helpdesk may still check the caller before it
        # clears the hold). Told like a lockout: a stranger learns nothing new.
        record(
            action="protection.proof_refused",
            result="denied",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={"reason": "on_hold", "service": service, "purpose": purpose},
        )
        raise Refused("locked_out", scope="account-hold")
    if throttle.attempt([limit], token=token) is not None:
        record(
            action="protection.proof_refused",
            result="denied",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={"reason": "locked_out", "service": service, "purpose": purpose},
        )
        raise Refused("locked_out", scope=PROOF_SCOPE, retry_after=throttle.retry_after(limit))
    return ProofAttempt(
        subject=subject, token=token, service=service, user_guid=user_guid, username=username
    )


def _on_hold(user_guid: str) -> bool:
    from .holds import is_on_hold

    return is_on_hold(user_guid)


def proof_passed(attempt: ProofAttempt) -> None:
    throttle.release(proof_limit(attempt.subject), attempt.token)


def proof_failed(attempt: ProofAttempt, *, request=None, purpose: str = "") -> bool:
    """The attempt stays counted; when it filled the budget, the lockout is
    audited (once per window). Returns whether the account is locked out now."""
    return note_failure(
        request=request,
        subject=attempt.subject,
        user_guid=attempt.user_guid,
        username=attempt.username,
        service=attempt.service,
        purpose=purpose,
    )


def settle_proof(*, user_guid: str, username: str, token: str, passed: bool | None) -> None:
    """Settle an attempt begun in another request or process (a BankID order,
    collected by a worker): ``passed`` True or None (no proof was made: the
    order was cancelled or expired) gives the slot back; False keeps it."""
    subject = account_subject(user_guid=user_guid, username=username)
    if not subject:
        return
    if passed is False:
        note_failure(
            request=None, subject=subject, user_guid=user_guid, username=username, service=""
        )
    else:
        throttle.release(proof_limit(subject), token)


def note_failure(
    *, request, subject: str, user_guid: str, username: str, service: str, purpose: str = ""
) -> bool:
    limit = proof_limit(subject)
    failures = throttle.count(limit)
    if failures < limit.limit:
        return False
    noticed = Limit(_LOCKOUT_NOTICE_SCOPE, subject, 1, limit.window)
    if throttle.attempt([noticed]) is None:
        logger.warning("proofs of an account locked after %s failures", failures)
        record(
            action="reset.locked_out",
            result="denied",
            request=request,
            subject=username,
            subject_guid=user_guid,
            details={
                "purpose": purpose,
                "service": service,
                "failed_proofs": failures,
                "lockout_seconds": limit.window,
            },
        )
    return True


def clear_failures(*, user_guid: str = "", username: str = "") -> None:
    """Forget the account's failed proofs (it proved who it is and reset)."""
    subject = account_subject(user_guid=user_guid, username=username)
    if subject:
        throttle.clear(PROOF_SCOPE, subject)
        throttle.clear(_LOCKOUT_NOTICE_SCOPE, subject)
