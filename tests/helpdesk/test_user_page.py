"""The user's page: live directory facts, masked enrollments, recent events; unlock and removal."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.service import record
from devtools.models import DemoDirectoryUser
from enrollment.models import Enrollment

from .conftest import ANNA_PHONE, ANNA_PHONE_MASKED

pytestmark = pytest.mark.django_db


def user_url(guid):
    return reverse("admin:helpdesk_user", kwargs={"guid": guid})


def remove_url(enrollment):
    return reverse(
        "admin:helpdesk_remove_enrollment",
        kwargs={"guid": enrollment.user_guid, "pk": enrollment.pk},
    )


def test_page_shows_account_state_read_live_from_the_directory(helpdesk, demo_user):
    DemoDirectoryUser.objects.filter(guid=demo_user.guid).update(
        locked_at=timezone.now(), must_change_password=True
    )
    page = helpdesk.get(user_url(demo_user.guid)).content.decode()
    assert "Anna Andersson" in page and "anna.andersson@demo.local" in page
    assert "Låst" in page and "Måste byta lösenord" in page
    assert "Lås upp kontot" in page


def test_page_shows_the_enrollment_masked_and_never_the_number(helpdesk, anna_sms):
    page = helpdesk.get(user_url(anna_sms.user_guid)).content.decode()
    assert ANNA_PHONE_MASKED in page and "Mobilkod" in page
    assert ANNA_PHONE not in page and "701234512" not in page
    assert anna_sms.protected_value not in page and anna_sms.value_hash not in page


def test_page_lists_the_users_recent_events(helpdesk, demo_user):
    record(action="reset.failed", result="failure", subject="anna", subject_guid=demo_user.guid)
    page = helpdesk.get(user_url(demo_user.guid)).content.decode()
    assert "reset.failed" in page


def test_looking_at_a_user_is_in_their_audit_trail(helpdesk, demo_user):
    helpdesk.get(user_url(demo_user.guid))
    event = AuditEvent.objects.get(action="helpdesk.user_viewed")
    assert (event.actor, event.subject_guid) == ("helena", demo_user.guid)


def test_unknown_user_says_so(helpdesk):
    response = helpdesk.get(user_url("00000000-0000-0000-0000-000000000000"))
    assert response.status_code == 404
    assert "Användaren finns inte i katalogen." in response.content.decode()


def test_unlock_clears_the_lockout_and_is_audited(helpdesk, demo_user, demo_directory):
    DemoDirectoryUser.objects.filter(guid=demo_user.guid).update(locked_at=timezone.now())
    response = helpdesk.post(reverse("admin:helpdesk_unlock", kwargs={"guid": demo_user.guid}))
    assert response.status_code == 302
    assert not demo_directory.get_user(demo_user.guid).locked
    event = AuditEvent.objects.get(action="helpdesk.unlock")
    assert (event.result, event.actor, event.subject_guid) == ("success", "helena", demo_user.guid)
    assert event.details["was_locked"] is True


def test_unlock_needs_post(helpdesk, demo_user):
    response = helpdesk.get(reverse("admin:helpdesk_unlock", kwargs={"guid": demo_user.guid}))
    assert response.status_code == 405


def test_removal_without_a_reason_keeps_the_enrollment(helpdesk, anna_sms):
    response = helpdesk.post(remove_url(anna_sms), {"reason": ""})
    assert response.status_code == 400
    assert "Skriv varför registreringen tas bort." in response.content.decode()
    assert Enrollment.objects.filter(pk=anna_sms.pk).exists()


def test_removal_with_a_reason_removes_and_audits_it(helpdesk, anna_sms):
    response = helpdesk.post(remove_url(anna_sms), {"reason": "Nytt nummer, ärende 4711"})
    assert response.status_code == 302
    assert not Enrollment.objects.filter(pk=anna_sms.pk).exists()
    event = AuditEvent.objects.get(action="enrollment.removed")
    assert (event.actor, event.subject_guid) == ("helena", anna_sms.user_guid)
    assert event.details == {"service": "sms", "reason": "Nytt nummer, ärende 4711"}


def test_removal_tells_the_user_by_email_to_their_directory_address(helpdesk, anna_sms):
    helpdesk.post(remove_url(anna_sms), {"reason": "Nytt nummer, ärende 4711"})
    (message,) = mail.outbox
    assert message.to == ["anna.andersson@demo.local"]
    assert message.subject == "Mobilkod har tagits bort från ditt konto"
    assert "Hej Anna Andersson," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Mobilkod" in html
    assert AuditEvent.objects.get(action="helpdesk.notified").result == "success"


def test_removal_page_shows_what_will_be_removed(helpdesk, anna_sms):
    page = helpdesk.get(remove_url(anna_sms)).content.decode()
    assert ANNA_PHONE_MASKED in page and ANNA_PHONE not in page
