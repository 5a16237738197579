"""Audit settings with their defaults (the environment overrides them through
portal/settings.py)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {"AUDIT_RETENTION_DAYS": 365}


def retention_days() -> int:
    """Events older than this many days are removed by the nightly prune."""
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULTS["AUDIT_RETENTION_DAYS"]))
