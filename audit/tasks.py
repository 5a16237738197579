"""The audit trail's periodic task (``CELERY_BEAT_SCHEDULE`` runs it nightly)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="audit.prune")
def prune_audit_events() -> int:
    from .pruning import prune_audit_events as prune

    return prune()
