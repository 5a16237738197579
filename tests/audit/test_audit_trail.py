from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEvent
from audit.service import client_ip, prune_audit, record

pytestmark = pytest.mark.django_db


def test_record_takes_ip_and_user_agent_from_the_request():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
    event = record(action="login", result="success", request=request, subject="anna")
    assert (event.ip_address, event.user_agent, event.subject) == ("192.0.2.7", "Firefox", "anna")


def test_secrets_never_enter_the_details():
    event = record(
        action="x",
        result="info",
        details={
            "password": "hunter2",
            "code": "123456",
            "nested": {"personnummer": "1"},
            "service": "sms",
        },
    )
    assert "hunter2" not in str(event.details) and "123456" not in str(event.details)
    assert event.details["service"] == "sms"
    assert event.details["nested"]["personnummer"] == "[removed]"


def test_events_cannot_be_changed_or_deleted():
    event = record(action="login", result="success")
    event.result = "failure"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(result="failure")


def test_prune_removes_only_events_past_retention():
    old = record(action="old", result="info")
    new = record(action="new", result="info")
    # created_at is auto_now_add; move the old one back through SQL.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=400), old.pk],
        )
    assert prune_audit(older_than_days=365) == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [new.pk]


def test_client_ip_honours_only_the_configured_number_of_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.4"
