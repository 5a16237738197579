"""Helpdesk settings with their defaults (the environment overrides them
through portal/settings.py)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Seconds the name search keeps the directory's user list.
    "HELPDESK_SEARCH_CACHE_SECONDS": 60,
    # Reminders to enrol: members of this AD group (empty: every user) whose
    # star row is not full get an e-mail at most once per this many days (0: off).
    "ENROLLMENT_REMINDER_GROUP": "",
    "ENROLLMENT_REMINDER_DAYS": 30,
    # The portal's public address, for links in e-mail sent without a request.
    "PORTAL_URL": "",
}


def _get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def search_cache_seconds() -> int:
    return int(_get("HELPDESK_SEARCH_CACHE_SECONDS"))


def reminder_group() -> str:
    return str(_get("ENROLLMENT_REMINDER_GROUP") or "")


def reminder_days() -> int:
    return int(_get("ENROLLMENT_REMINDER_DAYS") or 0)


def portal_url() -> str:
    return str(_get("PORTAL_URL") or "")
