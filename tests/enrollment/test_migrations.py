"""A database made before the services became apps migrates forward with
nothing lost: the tables are kept, only Django's state moves.

The old database is built by the migrations main had at f2b68c6 (enrollment
0001-0004 and identity 0001 are unchanged since; identity 0002 came with #17):
every migration after them is unapplied, rows are written through the
historical models of that state (app labels ``enrollment`` and ``identity``,
as main's code wrote them), and the database is migrated forward again.
"""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from devtools.models import DemoDirectoryUser
from enrollment.models import Enrollment
from enrollment.stars import star_meter
from helpdesk.models import EnrollmentReminder
from services.bankid.models import BankIDOrder
from services.sms.models import SmsChallenge

# The migration state of main (f2b68c6, and identity's 0002 since): the moved
# models' apps did not exist.
MAIN = [
    ("enrollment", "0004_bankid_order"),
    ("identity", "0002_throttle"),
    ("sms", None),
    ("bankid", None),
    ("passkey", None),
    ("helpdesk", None),
    ("devtools", None),
]
GUID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def _migrate(targets):
    """Migrate to ``targets``; the historical models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    moved = {app for app, name in targets if name is None}
    nodes = [node for node in targets if node[1] is not None] + [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in moved and node[0] not in {app for app, _ in targets}
    ]
    return executor.loader.project_state(nodes).apps


def _fill_as_main_did(old):
    """Rows in the tables as main's code left them, through main's models."""
    for service in ("sms", "bankid"):
        old.get_model("enrollment", "Enrollment").objects.create(
            user_guid=GUID, username="anna", service=service, display=f"{service} shown"
        )
    challenge = old.get_model("enrollment", "SmsChallenge").objects.create(
        purpose="reset",
        user_guid=GUID,
        username="anna",
        binding_hash="b" * 64,
        display="+46 70*** **12",
        code_hash="c" * 64,
        expires_at=timezone.now() + timezone.timedelta(minutes=5),
    )
    order = old.get_model("enrollment", "BankIDOrder").objects.create(
        purpose="enroll",
        user_guid=GUID,
        username="anna",
        session_key="s" * 32,
        order_ref=str(uuid.uuid4()),
        started_at=1.0,
        status="complete",
        outcome="enrolled",
    )
    old.get_model("identity", "DemoDirectoryUser").objects.create(
        guid=GUID, username="anna", password_hash="x", groups=["Personal"]
    )
    old.get_model("enrollment", "EnrollmentReminder").objects.create(
        user_guid=GUID, username="anna", sent_at=timezone.now(), times_sent=3
    )
    # The helpdesk's permissions belonged to enrollment.HelpdeskAccess; a
    # group was granted one (as the login's group sync does).
    content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="enrollment", model="helpdeskaccess"
    )
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=content_type, codename="helpdesk_find_user"
    )
    group = old.get_model("auth", "Group").objects.create(name="Helpdesk (old)")
    group.permissions.add(permission)
    return challenge.pk, order.order_ref


@pytest.mark.django_db(transaction=True)
def test_a_database_of_main_migrates_forward_with_everything_found():
    old = _migrate(MAIN)
    assert "enrollment_smschallenge" in connection.introspection.table_names()
    challenge_id, order_ref = _fill_as_main_did(old)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert set(Enrollment.objects.filter(user_guid=GUID).values_list("service", flat=True)) == {
        "sms",
        "bankid",
    }
    assert star_meter(user_guid=GUID).collected == 3  # Mobilkod 1 + BankID 2
    challenge = SmsChallenge.objects.get(pk=challenge_id)
    assert (challenge.purpose, challenge.display) == ("reset", "+46 70*** **12")
    order = BankIDOrder.objects.get(order_ref=order_ref)
    assert (order.status, order.outcome) == (BankIDOrder.Status.COMPLETE, "enrolled")
    assert EnrollmentReminder.objects.get(user_guid=GUID).times_sent == 3
    assert DemoDirectoryUser.objects.get(guid=GUID).groups == ["Personal"]
    # The grant followed the permission to its new app label.
    granted = Group.objects.get(name="Helpdesk (old)").permissions.get()
    assert (granted.content_type.app_label, granted.codename) == ("helpdesk", "helpdesk_find_user")
    assert not Permission.objects.filter(content_type__app_label="enrollment").filter(
        codename__startswith="helpdesk_"
    )
