"""Remind users whose password expires soon (see reset.expiry)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reset.expiry import send_password_expiry_reminders


class Command(BaseCommand):
    help = (
        "E-mail (and with PASSWORD_EXPIRY_REMINDER_SMS, text) the users whose password "
        "expires within PASSWORD_EXPIRY_REMINDER_DAYS, each threshold once per password. "
        "Start with --dry-run."
    )

    def add_arguments(self, parser):
        what = "Print who would be reminded, and when their password expires; send nothing."
        parser.add_argument("--dry-run", action="store_true", help=what)

    def handle(self, *args, dry_run: bool = False, **options):
        run = send_password_expiry_reminders(dry_run=dry_run)
        if dry_run:
            # The operator's own terminal, not a log: account names, no addresses.
            for due in run.due:
                self.stdout.write(
                    f"would remind {due.user.username}: expires in {due.days_left} day(s) "
                    f"(threshold {due.threshold}), "
                    f"by {'e-mail' if due.user.mail else 'no e-mail address'}"
                )
            self.stdout.write(f"{len(run.due)} due (dry run: nothing sent)")
            return
        self.stdout.write(
            f"{len(run.due)} due, {run.sent} sent, {run.failed} failed, "
            f"{run.deferred} left for the next run (PASSWORD_EXPIRY_REMINDER_MAX_PER_RUN)"
        )
