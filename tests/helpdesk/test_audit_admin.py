"""The audit trail in the admin: read-only, filterable, exported as masked CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from audit.service import record

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/auditevent/"
EXPORT = "/admin/audit/auditevent/export/"


def shown_actions(client, **params) -> list[str]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [e.action for e in response.context["cl"].result_list]


def age(event, days):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=days), event.pk],
        )


@pytest.fixture
def events(db):
    return [
        record(
            action="reset.started",
            result="info",
            subject="anna",
            subject_guid="g-anna",
            ip_address="192.0.2.10",
        ),
        record(
            action="reset.failed",
            result="failure",
            subject="bo",
            subject_guid="g-bo",
            ip_address="192.0.2.20",
        ),
        record(
            action="login",
            result="success",
            subject="anna",
            subject_guid="g-anna",
            ip_address="198.51.100.1",
        ),
    ]


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_change_list_offers_no_add_and_no_delete(helpdesk, events):
    response = helpdesk.get(CHANGELIST)
    page = response.content.decode()
    assert "/admin/audit/auditevent/add/" not in page
    assert "delete_selected" not in page
    assert list(response.context["cl"].model_admin.get_actions(response.wsgi_request)) == [
        "export_selected"
    ]


def test_an_event_opens_read_only(helpdesk, events):
    response = helpdesk.get(f"/admin/audit/auditevent/{events[0].pk}/change/")
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_a_post_to_an_event_changes_nothing(helpdesk, events):
    response = helpdesk.post(
        f"/admin/audit/auditevent/{events[0].pk}/change/", {"action": "forged"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=events[0].pk).action == "reset.started"


def test_filter_by_user_matches_name_or_guid(helpdesk, events):
    assert shown_actions(helpdesk, subject="anna") == ["login", "reset.started"]
    assert shown_actions(helpdesk, subject="g-bo") == ["reset.failed"]


def test_filter_by_action(helpdesk, events):
    assert shown_actions(helpdesk, action="reset.failed") == ["reset.failed"]


def test_filter_by_result(helpdesk, events):
    assert shown_actions(helpdesk, result__exact="failure") == ["reset.failed"]


def test_filter_by_ip_address(helpdesk, events):
    assert shown_actions(helpdesk, ip="192.0.2.20") == ["reset.failed"]


def test_a_malformed_ip_address_filter_shows_nothing(helpdesk, events):
    assert shown_actions(helpdesk, ip="not-an-ip") == []


def test_filter_by_date(helpdesk, events):
    age(events[1], 40)
    # The way the admin's "past 7 days" link writes it: an aware local midnight.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    since = str(midnight - timedelta(days=7))
    actions = shown_actions(helpdesk, created_at__gte=since, action="reset.failed")
    assert actions == []


def test_csv_export_follows_the_filters(helpdesk, events):
    rows = csv_rows(helpdesk.get(EXPORT, {"subject": "anna"}))
    assert [r["action"] for r in rows] == ["login", "reset.started"]
    assert rows[0]["ip_address"] == "198.51.100.1"


def test_csv_export_is_audited(helpdesk, events):
    b"".join(helpdesk.get(EXPORT, {"action": "reset.failed"}).streaming_content)
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.actor == "helena"
    assert event.details == {
        "scope": "filtered",
        "rows": 1,
        "filters": {"action": "reset.failed"},
    }


def test_exporting_selected_events_as_an_admin_action(helpdesk, events):
    response = helpdesk.post(
        CHANGELIST,
        {"action": "export_selected", "_selected_action": [events[1].pk], "index": 0},
    )
    assert [r["action"] for r in csv_rows(response)] == ["reset.failed"]


def test_csv_cells_cannot_start_a_spreadsheet_formula(helpdesk):
    record(action="odd", result="failure", subject='=HYPERLINK("x")')
    (row,) = csv_rows(helpdesk.get(EXPORT, {"action": "odd"}))
    assert row["subject"] == '\'=HYPERLINK("x")'
