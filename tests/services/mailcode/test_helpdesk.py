"""E-postkod in the helpdesk: masked on the user's page, a caller check (a
code to the private address, read back on the phone) through the helpdesk's
guard, removal audited, and counted on the coverage page and in the CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.models import Enrollment
from tests.services.mailcode.helpers import PRIVATE, enrol_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna_mail(demo_user):
    return enrol_mail(demo_user)


def verify_url(guid):
    return reverse("admin:helpdesk_verify", kwargs={"guid": guid, "method": "email"})


def send_code(client, guid, capture) -> str:
    mail.outbox = []
    with capture(execute=True):
        response = client.post(verify_url(guid), {"action": "send"})
    assert response.status_code == 302
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_the_user_page_shows_the_address_masked_and_offers_the_caller_check(helpdesk, anna_mail):
    page = helpdesk.get(reverse("admin:helpdesk_user", args=[anna_mail.user_guid]))
    html = page.content.decode()
    assert "a•••@e•••.org" in html and PRIVATE not in html
    assert "Skicka en kod med e-post" in html and verify_url(anna_mail.user_guid) in html


def test_the_code_read_back_confirms_the_caller(
    helpdesk, anna_mail, django_capture_on_commit_callbacks
):
    page = helpdesk.get(verify_url(anna_mail.user_guid)).content.decode()
    assert "privata e-postadress (a•••@e•••.org)" in page and PRIVATE not in page
    code = send_code(helpdesk, anna_mail.user_guid, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [PRIVATE]
    assert "IT-supporten har skickat den här koden" in mail.outbox[-1].body
    response = helpdesk.post(verify_url(anna_mail.user_guid), {"action": "check", "code": code})
    assert response["Location"] == reverse("admin:helpdesk_user", args=[anna_mail.user_guid])
    page = helpdesk.get(response["Location"]).content.decode()
    assert "Den som ringer bekräftades med E-postkod" in page
    event = AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("id")
    assert (event.result, event.details["method"]) == ("success", "email")


def test_a_wrong_code_is_a_miss_of_the_helpdesk_guard(
    helpdesk, anna_mail, django_capture_on_commit_callbacks
):
    from identity import protection, throttle

    code = send_code(helpdesk, anna_mail.user_guid, django_capture_on_commit_callbacks)
    wrong = "111111" if code != "111111" else "222222"
    response = helpdesk.post(verify_url(anna_mail.user_guid), {"action": "check", "code": wrong})
    assert response.status_code == 400
    event = AuditEvent.objects.filter(action="helpdesk.verify_caller").latest("id")
    assert (event.result, event.details["reason"]) == ("failure", "code_wrong")
    # The miss counts on the account's failed proofs like any wrong code.
    subject = protection.account_subject(user_guid=anna_mail.user_guid)
    assert throttle.count(protection.proof_limit(subject)) == 1


def test_a_user_without_e_postkod_cannot_be_sent_a_code(helpdesk, demo_user):
    response = helpdesk.post(verify_url(demo_user.guid), {"action": "send"})
    assert response.status_code == 404 and mail.outbox == []


def test_removal_by_the_helpdesk_is_audited(helpdesk, anna_mail):
    url = reverse(
        "admin:helpdesk_remove_enrollment",
        kwargs={"guid": anna_mail.user_guid, "pk": anna_mail.pk},
    )
    helpdesk.post(url, {"reason": "Ringde in, ärende 4711"})
    assert not Enrollment.objects.filter(service="email").exists()
    event = AuditEvent.objects.get(action="enrollment.removed")
    assert (event.actor, event.details["service"]) == ("helena", "email")


def test_coverage_counts_it_and_the_csv_export_names_its_events(helpdesk, anna_mail):
    from audit.service import record

    page = helpdesk.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert "E-postkod" in page
    record(action="email.code_sent", result="success", subject="anna", details={})
    page = helpdesk.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert "E-postkod skickad" in page
    response = helpdesk.get("/admin/audit/auditevent/export/")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    actions = {row["action"] for row in csv.DictReader(io.StringIO(body))}
    assert "email.code_sent" in actions
