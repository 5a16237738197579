"""E-postkod settings: ``DEFAULTS`` holds each one's default (the only place it
is written); the environment overrides them through portal/settings.py.

The code's length, lifetime, tries, cooldown and limits default to the same
values as Mobilkod's (tests/services/mailcode checks that they agree).
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "MAILCODE_FROM_EMAIL": "",  # "": DEFAULT_FROM_EMAIL
    "MAILCODE_BLOCKED_DOMAINS": [],  # more of the organisation's own domains
    "MAILCODE_CODE_LENGTH": 6,
    "MAILCODE_CODE_VALIDITY": 5 * 60,
    "MAILCODE_CODE_MAX_ATTEMPTS": 3,
    "MAILCODE_RESEND_COOLDOWN": 60,
    "MAILCODE_CHALLENGE_RETENTION": 24 * 3600,
    "MAILCODE_GLOBAL_HOURLY_BUDGET": 500,
    "MAILCODE_RATE_LIMITS": {},
    "MAILCODE_SEND_RETRIES": 2,
    "MAILCODE_RETRY_BACKOFF": 1.0,
}


def _get(name: str):
    """The setting ``name``, or its default (``DEFAULTS``)."""
    return getattr(settings, name, DEFAULTS[name])


def from_email() -> str:
    return _get("MAILCODE_FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL


def blocked_domains() -> tuple[str, ...]:
    """Domains refused besides the directory's own (``MAILCODE_BLOCKED_DOMAINS``,
    comma-separated in the environment): e.g. an old name of the organisation."""
    value = _get("MAILCODE_BLOCKED_DOMAINS") or []
    if isinstance(value, str):
        value = value.split(",")
    return tuple(d.strip().lower().lstrip("@").rstrip(".") for d in value if d.strip())


def code_length() -> int:
    return int(_get("MAILCODE_CODE_LENGTH"))


def code_validity_seconds() -> int:
    return int(_get("MAILCODE_CODE_VALIDITY"))


def code_max_attempts() -> int:
    """Wrong tries of one code; then a new code is needed."""
    return int(_get("MAILCODE_CODE_MAX_ATTEMPTS"))


def resend_cooldown_seconds() -> int:
    return int(_get("MAILCODE_RESEND_COOLDOWN"))


def challenge_retention_seconds() -> int:
    """How long finished challenges are kept (for support questions) before pruning."""
    return int(_get("MAILCODE_CHALLENGE_RETENTION"))


def global_hourly_budget() -> int:
    """Codes the whole portal may e-mail in any hour (0: no budget). When it is
    spent, sending stops and an alert is logged (ERROR) and audited."""
    return int(_get("MAILCODE_GLOBAL_HOURLY_BUDGET"))


# (attempts, window in seconds), as Mobilkod's with the destination an address.
DEFAULT_RATE_LIMITS = {
    "send_user": (5, 15 * 60),
    "send_user_day": (10, 24 * 3600),
    # A whole office can share one address (NAT): the per-account and
    # per-address limits are the tight ones.
    "send_ip": (200, 60 * 60),
    "send_ip_day": (1000, 24 * 3600),
    "send_address": (5, 60 * 60),
    "send_address_day": (10, 24 * 3600),
    "verify_user": (10, 15 * 60),
    "verify_ip": (1000, 60 * 60),
}


def rate_limit(name: str) -> tuple[int, int]:
    """``MAILCODE_RATE_LIMITS`` may override any of ``DEFAULT_RATE_LIMITS``."""
    limits = {**DEFAULT_RATE_LIMITS, **(_get("MAILCODE_RATE_LIMITS") or {})}
    limit, window = limits[name]
    return int(limit), int(window)


def send_retries() -> int:
    """Extra tries of a mail server that did not answer or refused for now."""
    return max(0, int(_get("MAILCODE_SEND_RETRIES")))


def retry_backoff() -> float:
    """Seconds before the first retry; doubled before each further one."""
    return max(0.0, float(_get("MAILCODE_RETRY_BACKOFF")))
