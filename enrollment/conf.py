"""Enrollment settings with their defaults (override in portal/settings.py or the environment)."""

from __future__ import annotations

from django.conf import settings

DEFAULT_IDENTITY_SERVICES = [
    {"class": "enrollment.sms.service.SmsService", "weight": 1, "required": False},
    {"class": "enrollment.bankid.service.BankIDService", "weight": 1, "required": False},
]


def identity_services() -> list[dict]:
    return getattr(settings, "IDENTITY_SERVICES", DEFAULT_IDENTITY_SERVICES)


def stars_full() -> int:
    """Stars that fill the star row (fully enrolled); at least 1."""
    return max(1, int(getattr(settings, "ENROLLMENT_STARS_FULL", 2) or 0))


def stars_to_reset() -> int:
    """Stars a user must collect to reset a password: at least 1 (a reset
    always needs a proof, whatever the settings say) and never more than
    ``stars_full``. The system check enrollment.E010 reports a setting below 1."""
    return max(1, min(int(getattr(settings, "RESET_STARS_REQUIRED", 1) or 0), stars_full()))


def fresh_login_seconds() -> int:
    """How recent the password login must be to enrol a service."""
    return int(getattr(settings, "ENROLLMENT_FRESH_LOGIN_SECONDS", 15 * 60))


def proof_flow_seconds() -> int:
    """How long collected stars (a proof flow) stay valid."""
    return int(getattr(settings, "PROOF_FLOW_SECONDS", 10 * 60))
