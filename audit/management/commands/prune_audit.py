"""Remove audit events older than the retention period (``AUDIT_RETENTION_DAYS``)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.service import prune_audit, record


class Command(BaseCommand):
    help = "Remove audit events older than AUDIT_RETENTION_DAYS (or --days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of AUDIT_RETENTION_DAYS.",
        )

    def handle(self, *args, days=None, **options):
        removed = prune_events(days=days)
        self.stdout.write(f"removed {removed} audit events")


def prune_events(*, days: int | None = None) -> int:
    """Prune and record that it was done (shared with the Celery task)."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < 1:
        raise CommandError("The retention period must be at least one day.")
    removed = prune_audit(older_than_days=days)
    record(
        action="audit.pruned",
        result="success",
        actor="system",
        details={"retention_days": days, "removed": removed},
    )
    return removed
