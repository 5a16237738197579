"""E-mail the users whose star row is not full (see helpdesk.reminders)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from helpdesk.reminders import send_enrollment_reminders


class Command(BaseCommand):
    help = (
        "Remind users in ENROLLMENT_REMINDER_GROUP whose star row is not full to enrol, "
        "at most once per ENROLLMENT_REMINDER_DAYS."
    )

    def handle(self, *args, **options):
        run = send_enrollment_reminders()
        self.stdout.write(f"{run.candidates} due, {run.sent} sent, {run.failed} failed")
