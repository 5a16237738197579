"""The Celery application. Tasks live in each app's ``tasks.py``."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app's tasks.py (the identity services and the helpdesk are apps).
app.autodiscover_tasks()


@task_prerun.connect
def _check_database_connection(task=None, **_kwargs) -> None:
    """Drop a connection that broke or outlived CONN_MAX_AGE before a task, as
    Django does before a request (the fix-up keeps it: CELERY_DB_REUSE_MAX).
    Not for inline (eager) tasks: they run inside the caller's transaction."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
