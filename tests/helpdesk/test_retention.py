"""Audit retention: `manage.py prune_audit` and its nightly beat task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from audit.service import record
from audit.tasks import prune_audit_events

pytestmark = pytest.mark.django_db


def aged(action, days):
    event = record(action=action, result="info")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=days), event.pk],
        )
    return event


def remaining():
    return sorted(
        AuditEvent.objects.exclude(action="audit.pruned").values_list("action", flat=True)
    )


def test_command_removes_events_older_than_the_retention_setting(settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 365
    aged("old", 400)
    aged("recent", 300)
    call_command("prune_audit")
    assert remaining() == ["recent"]
    assert "removed 1 audit events" in capsys.readouterr().out


def test_command_takes_another_period_for_one_run():
    aged("old", 400)
    aged("recent", 300)
    call_command("prune_audit", days=100)
    assert remaining() == []


def test_pruning_is_itself_in_the_audit_trail():
    aged("old", 400)
    call_command("prune_audit")
    event = AuditEvent.objects.get(action="audit.pruned")
    assert event.details == {"retention_days": 365, "removed": 1}


def test_the_beat_task_prunes():
    aged("old", 400)
    assert prune_audit_events.delay().get() == 1


def test_every_beat_entry_names_a_registered_task():
    from portal.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
