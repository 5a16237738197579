"""Celery tasks of the enrollment core (each service app keeps its own tasks)."""

from celery import shared_task


@shared_task(name="enrollment.send_notice_email", ignore_result=True)
def send_enrollment_notice_email(**kwargs) -> bool:
    """The e-mail that tells a user an identity service was registered or changed."""
    from .notify import send_enrollment_notice_email as send

    return send(**kwargs)
