"""Celery tasks of the enrollment app: Celery autodiscovers ``enrollment.tasks``;
each identity service keeps its own tasks in its subpackage."""

from celery import shared_task  # noqa: E402

from .sms.tasks import deliver_sms_code, prune_sms_challenges, send_sms_notice  # noqa: F401


@shared_task(ignore_result=True)
def send_enrollment_notice_email(**kwargs) -> bool:
    """The e-mail that tells a user an identity service was registered or changed."""
    from .notify import send_enrollment_notice_email as send

    return send(**kwargs)
