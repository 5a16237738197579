"""Removing audit events older than the retention period (``AUDIT_RETENTION_DAYS``):
used by ``manage.py prune_audit`` and the nightly task ``audit.prune``."""

from __future__ import annotations

from . import conf
from .service import prune_audit, record


class RetentionTooShort(ValueError):
    """A retention period below one day would remove the trail of today."""


def prune_audit_events(*, days: int | None = None) -> int:
    """Prune events older than ``days`` (default: the retention setting) and
    record that it was done. Returns how many were removed."""
    days = conf.retention_days() if days is None else days
    if days < 1:
        raise RetentionTooShort("The retention period must be at least one day.")
    removed = prune_audit(older_than_days=days)
    record(
        action="audit.pruned",
        result="success",
        actor="system",
        details={"retention_days": days, "removed": removed},
    )
    return removed
