"""Coverage: full, partial and empty star rows; per service and OU; resets per day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.service import record
from enrollment.services import save_enrollment
from helpdesk.coverage import compute_coverage, daily_activity, ou_of
from identity.directory import DirectoryUser

pytestmark = pytest.mark.django_db

SERVICES = [
    {"class": "services.sms.service.SmsService", "weight": 1},
    {"class": "services.bankid.service.BankIDService", "weight": 1},
]


@pytest.fixture(autouse=True)
def _two_services(settings):
    settings.IDENTITY_SERVICES = SERVICES
    settings.ENROLLMENT_STARS_FULL = 2


def user(guid, ou="OU=Ekonomi,OU=Staff,DC=demo,DC=local", disabled=False):
    return DirectoryUser(guid=guid, dn=f"CN={guid},{ou}", username=guid, disabled=disabled)


def test_users_are_counted_as_full_partial_or_none():
    report = compute_coverage(
        users=[user("a"), user("b"), user("c"), user("d", disabled=True)],
        enrollments=[("a", "sms"), ("a", "bankid"), ("b", "sms"), ("gone", "sms")],
    )
    t = report.total
    assert (t.full, t.partial, t.none, t.total, t.full_percent) == (1, 1, 1, 3, 33)


def test_each_service_counts_its_enrolled_users():
    report = compute_coverage(
        users=[user("a"), user("b")], enrollments=[("a", "sms"), ("b", "sms"), ("a", "bankid")]
    )
    assert [(s.key, s.users, s.percent) for s in report.services] == [
        ("sms", 2, 100),
        ("bankid", 1, 50),
    ]


def test_users_are_grouped_by_the_ou_in_their_dn():
    report = compute_coverage(
        users=[user("a"), user("b", ou="OU=Lager,OU=Staff,DC=demo,DC=local")],
        enrollments=[("a", "sms"), ("a", "bankid")],
    )
    assert [(s.label, s.full, s.none) for s in report.ous] == [
        ("Staff / Ekonomi", 1, 0),
        ("Staff / Lager", 0, 1),
    ]


def test_ou_reads_the_container_top_down_and_survives_escaped_commas():
    assert ou_of("CN=Anna,OU=Ekonomi,OU=Staff,DC=demo,DC=local") == "Staff / Ekonomi"
    assert ou_of("CN=Andersson\\, Anna,CN=Users,DC=demo,DC=local") == "Users"


def test_resets_and_unlocks_are_counted_per_day():
    record(action="reset.password_set", result="success")
    record(action="reset.password_set", result="failure")
    record(action="reset.unlocked", result="success")
    old = record(action="helpdesk.unlock", result="success")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=2), old.pk],
        )
    days = daily_activity(days=30)
    assert len(days) == 30 and days[-1].day == timezone.localdate()
    assert (days[-1].resets, days[-1].unlocks) == (1, 1)
    assert (days[-3].resets, days[-3].unlocks) == (0, 1)


def test_the_page_is_computed_with_a_few_queries_whatever_the_number_of_users(
    helpdesk, demo_directory
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def users(start: int, count: int) -> None:
        for i in range(start, start + count):
            u = demo_directory.create_user(username=f"u{i}", password="x")
            save_enrollment(
                request=None, user_guid=u.guid, username=u.username, service="sms", display="x"
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = helpdesk.get(reverse("admin:helpdesk_coverage"))
        assert response.status_code == 200
        return len(captured)

    users(0, 5)
    few = queries()
    users(5, 25)
    many = queries()
    # The same queries for 5 users as for 30: session, user, permissions and
    # audit rows of the admin view, plus the report's own (directory list,
    # enrollments, policies, audit aggregates, expiring passwords).
    assert many == few
    assert many <= 12


def test_the_page_draws_accessible_charts_with_table_alternatives(helpdesk, demo_user):
    record(action="reset.password_set", result="success")
    page = helpdesk.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert page.count('role="img"') >= 2
    assert 'aria-labelledby="act-chart-title act-chart-desc"' in page
    assert '<title id="act-chart-title">' in page and '<desc id="act-chart-desc">' in page
    assert 'id="activity-table"' in page and 'id="coverage-table"' in page
    assert "Mobilkod" in page and "<code>reset.password_set</code>" in page
