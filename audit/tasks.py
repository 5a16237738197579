"""The audit trail's periodic task (``CELERY_BEAT_SCHEDULE`` runs it nightly)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="audit.tasks.prune_audit_events")
def prune_audit_events() -> int:
    from .management.commands.prune_audit import prune_events

    return prune_events()
