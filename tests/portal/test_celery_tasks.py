"""One way to find tasks (autodiscovery over INSTALLED_APPS) and one naming
convention (``<app label>.<action>``), which the beat schedule uses."""

from __future__ import annotations

import re

from django.conf import settings

from portal.celery import app

OURS = (
    "portal", "helpdesk", "reset", "sms", "bankid", "passkey", "mailcode", "enrollment",
    "identity", "audit",
)  # fmt: skip


def _our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if name.split(".")[0] in OURS}


def test_every_task_is_named_app_dot_action():
    names = _our_tasks()
    assert {"sms.deliver_code", "bankid.collect", "helpdesk.send_enrollment_reminders"} <= names
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", name) for name in names), sorted(names)


def test_the_beat_schedule_names_tasks_that_exist():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= _our_tasks()
