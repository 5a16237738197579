"""Guards of the reset flows, kept in the cache so every process shares them:
rate limits, the lockout after too many failed proofs, and one write per flow.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from audit.service import client_ip, record
from enrollment import conf as enrollment_conf
from enrollment.proofs import ProofFlow, save_flow
from identity import ratelimit

from . import conf


def subject_key(*, user_guid: str, username: str) -> str:
    """Whose failures and lockout: the account (any of its names) when it
    exists, else the name typed, so an unknown name is treated the same way."""
    value = f"guid:{user_guid}" if user_guid else f"name:{username.strip().casefold()}"
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def flow_key(flow: ProofFlow) -> str:
    return subject_key(user_guid=flow.user_guid, username=flow.username)


# --- rate limits -------------------------------------------------------------------
def start_allowed(*, request, username: str) -> bool:
    """Count one reset/unlock start for the IP and the name; False when over a limit."""
    limits = conf.rate_limits()
    ip = client_ip(request) or ""
    ip_ok = ratelimit.hit("reset-ip", ip, limit=limits["ip"], window=limits["window"])
    user_ok = ratelimit.hit(
        "reset-user", username.casefold(), limit=limits["user"], window=limits["window"]
    )
    return ip_ok and user_ok


def change_allowed(*, request, username: str) -> bool:
    """Count one password change attempt; False when over a limit."""
    limits = conf.change_rate_limits()
    ip = client_ip(request) or ""
    ip_ok = ratelimit.hit("change-ip", ip, limit=limits["ip"], window=limits["window"])
    user_ok = ratelimit.hit(
        "change-user", username.casefold(), limit=limits["user"], window=limits["window"]
    )
    return ip_ok and user_ok


# --- failed proofs and the lockout ------------------------------------------------------
def _failures_key(key: str) -> str:
    return f"reset:failures:{key}"


def _lockout_key(key: str) -> str:
    return f"reset:lockout:{key}"


def is_locked_out(flow: ProofFlow) -> bool:
    return bool(cache.get(_lockout_key(flow_key(flow))))


def count_failures(*, request, flow: ProofFlow) -> bool:
    """Carry the flow's new failed proofs (the services' verify views count them
    in the flow) over to the shared per-user counter, and lock the user out when
    it reaches ``RESET_MAX_FAILED_PROOFS``. Returns whether the user is locked out.

    The shared counter is what a new session or a new flow cannot reset.
    """
    key = flow_key(flow)
    counted = int(flow.data.get("failures_counted", 0))
    new = flow.failures - counted
    if new > 0:
        flow.data["failures_counted"] = flow.failures
        save_flow(request, flow)
        window = conf.lockout_seconds()
        cache.add(_failures_key(key), 0, timeout=window)
        try:
            total = cache.incr(_failures_key(key), new)
        except ValueError:  # expired in between
            cache.add(_failures_key(key), new, timeout=window)
            total = new
        if total >= conf.max_failed_proofs() and cache.add(
            _lockout_key(key), 1, timeout=conf.lockout_seconds()
        ):
            record(
                action="reset.locked_out",
                result="denied",
                request=request,
                subject=flow.username,
                subject_guid=flow.user_guid,
                details={
                    "purpose": flow.purpose,
                    "failed_proofs": total,
                    "lockout_seconds": conf.lockout_seconds(),
                },
            )
    return is_locked_out(flow)


def clear_failures(flow: ProofFlow) -> None:
    cache.delete(_failures_key(flow_key(flow)))


# --- one write per flow --------------------------------------------------------------
def _lock_key(flow_id: str) -> str:
    return f"reset:write-lock:{flow_id}"


def _done_key(flow_id: str) -> str:
    return f"reset:done:{flow_id}"


def acquire_write(flow_id: str) -> str:
    """Take the flow's write lock. Returns ``""`` when taken, else why not:
    ``already_done`` (another tab finished this flow) or ``busy`` (another tab
    is writing right now)."""
    if cache.get(_done_key(flow_id)):
        return "already_done"
    if not cache.add(_lock_key(flow_id), 1, timeout=conf.write_lock_seconds()):
        return "busy"
    if cache.get(_done_key(flow_id)):  # finished between the two looks
        release_write(flow_id)
        return "already_done"
    return ""


def release_write(flow_id: str) -> None:
    cache.delete(_lock_key(flow_id))


def finish_write(flow_id: str) -> None:
    """Mark the flow as used up, for as long as a flow can live, and unlock it."""
    cache.set(_done_key(flow_id), 1, timeout=enrollment_conf.proof_flow_seconds() + 60)
    release_write(flow_id)
