"""Enrollment settings with their defaults (override in portal/settings.py or the environment)."""

from __future__ import annotations

from django.conf import settings

# The star counts' defaults (the system check enrollment.E010 uses them too).
# A reset needs 2 stars: Mobilt BankID (2) alone, or two weaker services (SMS
# + another), never one SMS code. A full row is one star more than a reset
# needs, so a user with a full row still has a way back when one service is
# lost (a new phone, an expired BankID): with the default weights that is
# BankID + Mobilkod (3).
DEFAULTS = {
    "ENROLLMENT_STARS_FULL": 3,
    "RESET_STARS_REQUIRED": 2,
    "RESET_PRIVILEGED_ACCOUNTS": False,
}
#: The settings that count stars (the system check enrollment.E010 checks them).
STAR_COUNTS = ("ENROLLMENT_STARS_FULL", "RESET_STARS_REQUIRED")


def _get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def identity_services() -> list[dict]:
    """``settings.IDENTITY_SERVICES`` (``{"class", "weight", "required"}`` each;
    no weight: the service's ``default_weight``), by default every installed
    service app at its ``default_weight``, in INSTALLED_APPS order."""
    configured = getattr(settings, "IDENTITY_SERVICES", None)
    if configured is not None:
        return list(configured)
    from .apps import service_apps

    return [{"class": app.service, "required": False} for app in service_apps()]


def identity_service_weights() -> dict[str, tuple[int, bool]] | None:
    """``settings.IDENTITY_SERVICES_WEIGHTS`` (from the environment,
    ``sms:1,bankid:2:required``): service key -> (weight, required). When set,
    only the services it names are on."""
    return getattr(settings, "IDENTITY_SERVICES_WEIGHTS", None)


def stars_full() -> int:
    """Stars that fill the star row (fully enrolled); at least 1."""
    return max(
        1, int(getattr(settings, "ENROLLMENT_STARS_FULL", DEFAULTS["ENROLLMENT_STARS_FULL"]) or 0)
    )


def stars_to_reset() -> int:
    """Stars a user must collect to reset a password: at least 1 (a reset
    always needs a proof, whatever the settings say) and never more than
    ``stars_full``. The system check enrollment.E010 reports a setting below 1."""
    return max(
        1,
        min(
            int(getattr(settings, "RESET_STARS_REQUIRED", DEFAULTS["RESET_STARS_REQUIRED"]) or 0),
            stars_full(),
        ),
    )


def helpdesk_contact() -> str:
    """How to reach IT support, put in every notice ("08-123 45 67"); may be empty."""
    return str(getattr(settings, "HELPDESK_CONTACT", "") or "")


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


def reset_privileged_accounts() -> bool:
    """Whether accounts with AD's adminCount=1 (members of Domain Admins and
    the other protected groups) may reset or unlock by self-service. Off by
    default: a stolen phone must not be a way into a domain admin account."""
    return bool(_get("RESET_PRIVILEGED_ACCOUNTS"))
