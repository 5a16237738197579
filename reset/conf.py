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
    # Password-expiry reminders: the days before expiry at which a user is
    # reminded (each once per password; empty: off), whether enrolled
    # Mobilkod phones get an SMS too, and at most how many are sent per run.
    "PASSWORD_EXPIRY_REMINDER_DAYS": "14,7,3,1",
    "PASSWORD_EXPIRY_REMINDER_SMS": False,
    "PASSWORD_EXPIRY_REMINDER_MAX_PER_RUN": 500,
    # At most this many reminders a minute within a run (0: no pause).
    "PASSWORD_EXPIRY_REMINDER_PER_MINUTE": 60,
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


def expiry_reminder_days() -> list[int]:
    """The thresholds, largest first (``"14,7,3,1"`` or a list)."""
    raw = _get("PASSWORD_EXPIRY_REMINDER_DAYS")
    parts = raw.split(",") if isinstance(raw, str) else list(raw or ())
    days = set()
    for part in parts:
        try:
            value = int(str(part).strip())
        except ValueError:
            continue
        if value > 0:
            days.add(value)
    return sorted(days, reverse=True)


def expiry_reminder_sms() -> bool:
    return bool(_get("PASSWORD_EXPIRY_REMINDER_SMS"))


def expiry_reminder_max_per_run() -> int:
    return max(0, int(_get("PASSWORD_EXPIRY_REMINDER_MAX_PER_RUN")))


def expiry_reminder_per_minute() -> int:
    return max(0, int(_get("PASSWORD_EXPIRY_REMINDER_PER_MINUTE")))


def portal_url() -> str:
    """The portal's public address for links in mail sent without a request."""
    from identity.conf import portal_url

    return portal_url()
