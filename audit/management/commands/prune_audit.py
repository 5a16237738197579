"""Remove audit events older than the retention period (``AUDIT_RETENTION_DAYS``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.pruning import RetentionTooShort, prune_audit_events


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
        try:
            removed = prune_audit_events(days=days)
        except RetentionTooShort as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"removed {removed} audit events")
