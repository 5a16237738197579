"""Periodic helpdesk task (imported by portal.apps.PortalAdminConfig)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="helpdesk.send_enrollment_reminders")
def send_enrollment_reminders() -> int:
    from .reminders import send_enrollment_reminders as send

    return send().sent
