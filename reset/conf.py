"""Reset settings with their defaults (override in portal/settings.py or the environment)."""

from __future__ import annotations

from django.conf import settings

# A whole office can share one address (NAT): the per-user limits are the tight ones.
DEFAULT_RATE_LIMITS = {"window": 15 * 60, "ip": 300, "user": 10}
DEFAULT_CHANGE_RATE_LIMITS = {"window": 5 * 60, "ip": 300, "user": 10}


DEFAULTS = {
    "RESET_UNLOCKS_ACCOUNT": True,
    "RESET_RATE_LIMITS": {},
    "CHANGE_PASSWORD_RATE_LIMITS": {},
    "RESET_WRITE_LOCK_SECONDS": 60,
    "RESET_PORTAL_HISTORY": "auto",
}


def _get(name: str):
    """The setting ``name``, or its default (``DEFAULTS``)."""
    return getattr(settings, name, DEFAULTS[name])


def unlocks_account() -> bool:
    """A password reset also clears a lockout (the user proved who they are)."""
    return bool(_get("RESET_UNLOCKS_ACCOUNT"))


def rate_limits() -> dict[str, int]:
    """Reset and unlock starts per IP address and per username in a window (seconds)."""
    return {**DEFAULT_RATE_LIMITS, **(_get("RESET_RATE_LIMITS") or {})}


def change_rate_limits() -> dict[str, int]:
    """Password changes (with the old password) per IP address and per username."""
    return {**DEFAULT_CHANGE_RATE_LIMITS, **(_get("CHANGE_PASSWORD_RATE_LIMITS") or {})}


def helpdesk_contact() -> str:
    """How to reach IT support, put in the notices ("08-123 45 67"); may be empty."""
    from enrollment.conf import helpdesk_contact

    return helpdesk_contact()


def write_lock_seconds() -> int:
    """How long one password write may hold its flow's lock."""
    return int(_get("RESET_WRITE_LOCK_SECONDS"))


def portal_history(directory) -> bool:
    """Whether the portal keeps its own history of the passwords it sets
    (``RESET_PORTAL_HISTORY``: "auto", the default, only when the directory
    does not apply history to an admin reset; "on"; "off")."""
    mode = str(_get("RESET_PORTAL_HISTORY")).lower()
    if mode in {"on", "true", "1"}:
        return True
    if mode in {"off", "false", "0"}:
        return False
    return not directory.enforces_history_on_reset()
