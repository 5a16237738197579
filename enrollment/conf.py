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


def new_service_quiet_seconds() -> int:
    """How long a newly enrolled or changed service cannot make a reset on its
    own: someone who stole the password and enrolled their own phone must
    wait this long, while the owner is notified. Another, older service
    proved as well lifts it. 0 turns it off (the demo)."""
    return max(0, int(getattr(settings, "RESET_NEW_SERVICE_QUIET_SECONDS", 24 * 3600)))
