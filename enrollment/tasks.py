"""Celery tasks of the enrollment app: Celery autodiscovers ``enrollment.tasks``;
each identity service keeps its own tasks in its subpackage."""

from .sms.tasks import deliver_sms_code, prune_sms_challenges, send_sms_notice  # noqa: F401
