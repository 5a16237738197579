"""Checking a caller with Mobilkod: a code to the enrolled phone, read back on the phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from devtools.models import DemoDirectoryUser
from services.sms.gateways import outbox
from tests.helpdesk.conftest import ANNA_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms(settings, db):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()
    yield
    outbox.clear()


def verify_url(guid):
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": "sms"})


def send_code(client, guid, capture):
    with capture(execute=True):
        response = client.post(verify_url(guid), {"action": "send"})
    assert response.status_code == 302
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def test_the_code_goes_to_the_enrolled_phone(
    helpdesk, anna_sms, django_capture_on_commit_callbacks
):
    send_code(helpdesk, anna_sms.user_guid, django_capture_on_commit_callbacks)
    assert [m.to for m in outbox] == [ANNA_PHONE]
    # Not the text of a reset's code, which says never to read it out.
    assert outbox[-1].text.endswith(
        "Läs upp den bara för IT-supporten i ett samtal som du själv har ringt."
    )
    event = AuditEvent.objects.get(action="helpdesk.verify_caller")
    assert (event.result, event.actor, event.details["step"]) == ("info", "helena", "code_sent")


def test_the_page_after_sending_shows_the_number_masked_only(
    helpdesk, anna_sms, django_capture_on_commit_callbacks
):
    send_code(helpdesk, anna_sms.user_guid, django_capture_on_commit_callbacks)
    page = helpdesk.get(verify_url(anna_sms.user_guid)).content.decode()
    assert "Koden som den som ringer läser upp" in page
    assert ANNA_PHONE not in page and "701234512" not in page


def test_the_code_read_back_confirms_the_caller(
    helpdesk, anna_sms, django_capture_on_commit_callbacks
):
    code = send_code(helpdesk, anna_sms.user_guid, django_capture_on_commit_callbacks)
    response = helpdesk.post(verify_url(anna_sms.user_guid), {"action": "check", "code": code})
    assert response["Location"] == reverse("admin:helpdesk_user", args=[anna_sms.user_guid])
    page = helpdesk.get(response["Location"]).content.decode()
    assert "Den som ringer bekräftades med Mobilkod" in page
    event = AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("id")
    assert (event.result, event.subject_guid) == ("success", anna_sms.user_guid)


def test_a_wrong_code_does_not_confirm_the_caller(
    helpdesk, anna_sms, django_capture_on_commit_callbacks
):
    code = send_code(helpdesk, anna_sms.user_guid, django_capture_on_commit_callbacks)
    wrong = "111111" if code != "111111" else "222222"
    response = helpdesk.post(verify_url(anna_sms.user_guid), {"action": "check", "code": wrong})
    assert response.status_code == 400
    page = helpdesk.get(reverse("admin:helpdesk_user", args=[anna_sms.user_guid]))
    assert "bekräftades" not in page.content.decode()
    event = AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("id")
    assert (event.result, event.details["reason"]) == ("failure", "code_wrong")


def test_a_code_sent_from_another_helpdesk_session_is_not_accepted_here(
    helpdesk, anna_sms, helpdesk_person, django_capture_on_commit_callbacks
):
    from tests.helpdesk.conftest import log_in

    code = send_code(helpdesk, anna_sms.user_guid, django_capture_on_commit_callbacks)
    other = log_in("helena")
    other.post(verify_url(anna_sms.user_guid), {"action": "check", "code": code})
    assert not AuditEvent.objects.filter(action="helpdesk.verify_caller", result="success")


def test_unlock_after_a_confirmed_caller_says_so_in_the_audit_trail(
    helpdesk, anna_sms, django_capture_on_commit_callbacks
):
    code = send_code(helpdesk, anna_sms.user_guid, django_capture_on_commit_callbacks)
    helpdesk.post(verify_url(anna_sms.user_guid), {"action": "check", "code": code})
    DemoDirectoryUser.objects.filter(guid=anna_sms.user_guid).update(locked_at=timezone.now())
    helpdesk.post(reverse("admin:helpdesk_unlock", args=[anna_sms.user_guid]))
    event = AuditEvent.objects.get(action="helpdesk.unlock")
    assert event.details["caller_verified"] is True


def test_user_without_mobilkod_cannot_be_sent_a_code(helpdesk, demo_user):
    response = helpdesk.post(verify_url(demo_user.guid), {"action": "send"})
    assert response.status_code == 404
    assert not outbox


def test_a_number_changed_just_now_cannot_vouch_for_a_caller(
    helpdesk, anna_sms, settings, django_capture_on_commit_callbacks
):
    """A thief with the password changes the number, then calls the helpdesk:
    the quiet period that keeps a new service from resetting on its own keeps
    it from passing a caller check too (not even a code is sent)."""
    settings.RESET_NEW_SERVICE_QUIET_SECONDS = 24 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        response = helpdesk.post(verify_url(anna_sms.user_guid), {"action": "send"})
    assert response.status_code == 302 and outbox == []
    page = helpdesk.get(verify_url(anna_sms.user_guid)).content.decode()
    assert "registrerades eller ändrades nyss" in page


def test_the_user_page_shows_when_a_service_was_changed(helpdesk, anna_sms):
    from datetime import timedelta

    from enrollment.models import Enrollment

    Enrollment.objects.filter(pk=anna_sms.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    page = helpdesk.get(reverse("admin:helpdesk_user", args=[anna_sms.user_guid])).content
    assert "ändrad " in page.decode()
