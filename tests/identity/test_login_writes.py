"""A plain successful login writes only what it must: the session, the audit
row and last_login. (SQLite serialises writers: every needless write is a
chance for "database is locked" while the worker writes too.)"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def writes(queries) -> list[str]:
    tables = []
    for query in queries:
        sql = query["sql"]
        match = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', sql, re.I)
        # The login limits (identity.throttle) are written on every attempt by
        # design: a counter that is not stored does not count.
        if match and match.group(2) != "identity_throttle":
            tables.append(f"{match.group(1).split()[0].upper()} {match.group(2)}")
    return tables


def login(client):
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302


def test_a_repeated_plain_login_writes_only_the_session_audit_and_last_login(client, demo_user):
    login(client)  # the first login creates the local user
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        login(client)
    assert sorted(writes(queries.captured_queries)) == sorted(
        [
            "INSERT audit_auditevent",
            "INSERT django_session",  # Django's login: a new session key,
            "UPDATE django_session",  # then the session data
            "UPDATE identity_user",  # last_login
        ]
    ), "\n".join(q["sql"] for q in queries.captured_queries)


def test_a_changed_directory_entry_is_still_copied_at_login(client, demo_user, demo_directory):
    from django.contrib.auth import get_user_model

    from devtools.models import DemoDirectoryUser

    login(client)
    client.logout()
    DemoDirectoryUser.objects.filter(guid=demo_user.guid).update(display_name="Anna Berg")
    login(client)
    assert get_user_model().objects.get(directory_guid=demo_user.guid).display_name == "Anna Berg"
