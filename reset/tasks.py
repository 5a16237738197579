"""Celery tasks of the reset app (autodiscovered as ``reset.tasks``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="reset.send_password_notice_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_password_notice_email(**notice) -> bool:
    """Send one e-mail notice; a retry after a sent one does nothing."""
    from .notify import send_notice_email

    return send_notice_email(**notice)


@shared_task(name="reset.send_password_expiry_reminders", ignore_result=True)
def send_password_expiry_reminders() -> int:
    """The daily expiry reminders (beat); safe to run twice."""
    from .expiry import send_password_expiry_reminders as send

    return send().sent
