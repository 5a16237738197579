"""Guards of the reset flows, through the protection service (durable, atomic
counters shared by every process): rate limits of the starts and of the
user's own password change, the lockout after failed proofs, and one write
per flow.
"""

from __future__ import annotations

from enrollment import conf as enrollment_conf
from enrollment.proofs import ProofFlow
from identity import protection, throttle
from identity.throttle import Limit

from . import conf


# --- rate limits -------------------------------------------------------------------
def start_address_limit(request) -> Limit:
    """Reset and unlock starts per address."""
    limits = conf.rate_limits()
    return Limit("reset-start-ip", protection.origin(request), limits["ip"], limits["window"])


def start_account_limit(*, user_guid: str, username: str) -> Limit:
    """Reset and unlock starts per account (known or not)."""
    limits = conf.rate_limits()
    subject = protection.account_subject(user_guid=user_guid, username=username)
    return Limit("reset-start-account", subject, limits["user"], limits["window"])


def change_limits(*, request, user_guid: str, username: str) -> list[Limit]:
    """Password changes (with the old password) per address and per account."""
    limits = conf.change_rate_limits()
    subject = protection.account_subject(user_guid=user_guid, username=username)
    return [
        Limit("change-ip", protection.origin(request), limits["ip"], limits["window"]),
        Limit("change-account", subject, limits["user"], limits["window"]),
    ]


# --- failed proofs and the lockout ------------------------------------------------------
def is_locked_out(flow: ProofFlow) -> bool:
    return protection.is_locked_out(user_guid=flow.user_guid, username=flow.username)


def clear_failures(flow: ProofFlow) -> None:
    protection.clear_failures(user_guid=flow.user_guid, username=flow.username)


# --- one write per flow --------------------------------------------------------------
def _write_limit(flow_id: str) -> Limit:
    return Limit("reset-write", flow_id, 1, conf.write_lock_seconds())


def _done_limit(flow_id: str) -> Limit:
    return Limit("reset-done", flow_id, 1, enrollment_conf.proof_flow_seconds() + 60)


def acquire_write(flow_id: str) -> str:
    """Take the flow's write lock. Returns ``""`` when taken, else why not:
    ``already_done`` (another tab finished this flow) or ``busy`` (another tab
    is writing right now)."""
    if throttle.is_full(_done_limit(flow_id)):
        return "already_done"
    if throttle.attempt([_write_limit(flow_id)], token="write") is not None:
        return "busy"
    if throttle.is_full(_done_limit(flow_id)):  # finished between the two looks
        release_write(flow_id)
        return "already_done"
    return ""


def release_write(flow_id: str) -> None:
    throttle.release(_write_limit(flow_id), "write")


def finish_write(flow_id: str) -> None:
    """Mark the flow as used up, for as long as a flow can live, and unlock it."""
    throttle.add(_done_limit(flow_id))
    release_write(flow_id)
