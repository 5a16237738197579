"""Per-group policies in the helpdesk: edited in the admin by portal admins
only, every change audited; shown on the user page and the coverage page;
the enrolment reminders follow them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.models import ResetPolicy
from enrollment.services import save_enrollment
from helpdesk.reminders import send_enrollment_reminders

pytestmark = pytest.mark.django_db

HELPDESK_DN = "CN=Helpdesk,CN=Users,DC=demo,DC=local"
FORM = {
    "name": "Helpdesk",
    "priority": "10",
    "enabled": "on",
    "group_dn": HELPDESK_DN,
    "ou_dn": "",
    "services": "bankid:2:required,sms:1",
    "stars_full": "3",
    "stars_reset": "3",
    "reset_allowed": "on",
}


def enrol(user, *services):
    for service in services:
        save_enrollment(
            request=None, user_guid=user.guid, username=user.username, service=service, display="x"
        )


def test_a_portal_admin_creates_a_policy_and_the_audit_says_what(portal_admin):
    response = portal_admin.post(reverse("admin:enrollment_resetpolicy_add"), FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    policy = ResetPolicy.objects.get(name="Helpdesk")
    assert (policy.stars_reset, policy.services) == (3, "bankid:2:required,sms:1")
    event = AuditEvent.objects.get(action="policy.created")
    assert (event.actor, event.subject, event.result) == ("adam", "Helpdesk", "success")
    assert event.details["before"] is None
    assert event.details["after"]["group_dn"] == HELPDESK_DN


def test_a_change_is_audited_with_the_values_before_and_after(portal_admin):
    policy = ResetPolicy.objects.create(name="Helpdesk", group_dn=HELPDESK_DN, stars_reset=3)
    form = FORM | {"stars_reset": "2", "reset_allowed": ""}
    response = portal_admin.post(
        reverse("admin:enrollment_resetpolicy_change", args=[policy.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="policy.changed")
    assert event.details["before"]["stars_reset"] == 3
    assert event.details["before"]["reset_allowed"] is True
    assert event.details["after"]["stars_reset"] == 2
    assert event.details["after"]["reset_allowed"] is False


def test_a_deletion_is_audited(portal_admin):
    policy = ResetPolicy.objects.create(name="Helpdesk", group_dn=HELPDESK_DN)
    response = portal_admin.post(
        reverse("admin:enrollment_resetpolicy_delete", args=[policy.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ResetPolicy.objects.exists()
    event = AuditEvent.objects.get(action="policy.deleted")
    assert event.details["before"]["name"] == "Helpdesk"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"services": "sms:x"}, "Skriv tjänsterna som tjänst:stjärnor[:required]"),
        ({"group_dn": ""}, "it names neither a group nor an OU"),
        ({"services": "sms:1", "stars_reset": "2"}, "nobody could reset"),
        ({"services": "fax:1"}, "services that are not configured: fax"),
    ],
)
def test_a_policy_that_cannot_work_is_refused_with_a_message(portal_admin, change, message):
    response = portal_admin.post(reverse("admin:enrollment_resetpolicy_add"), FORM | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ResetPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="policy.").exists()


def test_the_helpdesk_can_neither_see_nor_change_policies(helpdesk):
    assert helpdesk.get(reverse("admin:enrollment_resetpolicy_changelist")).status_code == 403
    assert helpdesk.post(reverse("admin:enrollment_resetpolicy_add"), FORM).status_code == 403
    assert not ResetPolicy.objects.exists()


def test_the_user_page_shows_the_policy_in_effect(helpdesk, helpdesk_person):
    ResetPolicy.objects.create(
        name="Helpdesk", group_dn=HELPDESK_DN, services="bankid:2:required,sms:1", stars_reset=3
    )
    page = helpdesk.get(
        reverse("admin:helpdesk_user", kwargs={"guid": helpdesk_person.guid})
    ).content.decode()
    assert 'data-policy="Helpdesk"' in page
    assert "Full rad: 3 stjärnor. Nytt lösenord eller upplåsning: 3 stjärnor." in page
    assert "Mobilt BankID (2, krävs)" in page


def test_the_user_page_says_when_self_service_is_not_allowed(helpdesk, ordinary_person):
    ResetPolicy.objects.create(
        name="Lager", ou_dn="OU=Lager,OU=Staff,DC=demo,DC=local", reset_allowed=False
    )
    page = helpdesk.get(
        reverse("admin:helpdesk_user", kwargs={"guid": ordinary_person.guid})
    ).content.decode()
    assert 'id="policy-no-self-service"' in page


def test_the_coverage_page_counts_each_user_under_their_policy(
    helpdesk, helpdesk_person, ordinary_person
):
    ResetPolicy.objects.create(name="Helpdesk", group_dn=HELPDESK_DN, stars_full=1)
    enrol(helpdesk_person, "sms")
    enrol(ordinary_person, "sms")
    page = helpdesk.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert 'id="policy-table"' in page
    row = page[page.index('data-policy="Helpdesk"') :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td><td>1</td>" in row  # its one user has a full row (1 star)
    default = page[page.index('data-policy=""') :]
    default = default[: default.index("</tr>")]
    assert "Standardpolicyn" in default


@pytest.fixture
def reminders(settings):
    settings.ENROLLMENT_REMINDER_GROUP = ""
    settings.ENROLLMENT_REMINDER_DAYS = 30
    settings.PORTAL_URL = "https://losenord.example.se/"


def test_reminders_measure_each_row_by_its_policy(
    reminders, helpdesk_person, ordinary_person, portal_admin_person
):
    # Helpdesk: a full row is Mobilkod alone; everyone else: the default 3 stars.
    ResetPolicy.objects.create(
        name="Helpdesk", group_dn=HELPDESK_DN, services="sms:1", stars_full=1
    )
    for person in (helpdesk_person, ordinary_person):
        enrol(person, "sms")
    send_enrollment_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == ["adam@demo.local", "olle@demo.local"]


def test_a_reminder_offers_only_the_policys_services(reminders, ordinary_person):
    ResetPolicy.objects.create(
        name="Lager", ou_dn="OU=Lager,OU=Staff,DC=demo,DC=local", services="bankid:2", stars_full=2
    )
    send_enrollment_reminders()
    (message,) = mail.outbox
    assert "Du har 0 av 2 stjärnor" in message.body
    assert "Mobilt BankID" in message.body and "Mobilkod" not in message.body
    event = AuditEvent.objects.get(action="enrollment.reminder_sent")
    assert event.details["policy"] == "Lager"


def test_no_reminder_for_an_account_without_self_service(reminders, ordinary_person):
    ResetPolicy.objects.create(
        name="Lager", ou_dn="OU=Lager,OU=Staff,DC=demo,DC=local", reset_allowed=False
    )
    send_enrollment_reminders()
    assert not mail.outbox
