"""The notices after a reset, unlock or change: e-mail template set and SMS."""

from __future__ import annotations

import pytest
from django.core import mail

from identity.directory import DirectoryUser
from reset.notify import notice_text, queue_password_notices, send_notice_email
from services.sms.gateways import outbox

from .conftest import enrol_sms

pytestmark = pytest.mark.django_db

AT = "2026-11-26T13:02:00+00:00"  # 14:02 in Stockholm


def notice(**overrides) -> dict:
    return {
        "notice_id": "n1",
        "address": "anna@example.org",
        "name": "Anna",
        "event": "reset",
        "ip": "192.0.2.7",
        "at": AT,
        "language": "sv",
    } | overrides


def test_the_notice_names_the_time_and_the_address_in_local_time():
    text = notice_text(event="reset", ip="192.0.2.7", at=AT)
    assert text == (
        "Ditt lösenord återställdes 2026-11-26 kl. 14:02 från IP-adressen 192.0.2.7. "
        "Om det inte var du, ring IT-supporten."
    )


def test_the_notice_gives_the_helpdesk_number_when_configured(settings):
    settings.HELPDESK_CONTACT = "08-123 45 67"
    assert "ring IT-supporten på 08-123 45 67." in notice_text(event="reset", ip="x", at=AT)


def test_the_email_has_a_subject_a_plain_text_and_an_html_part():
    send_notice_email(**notice())
    (message,) = mail.outbox
    assert message.subject == "Ditt lösenord har återställts"
    assert "192.0.2.7" in message.body
    assert message.alternatives[0].mimetype == "text/html"


def test_the_email_is_written_in_the_language_it_was_asked_in():
    send_notice_email(**notice(language="en"))
    assert 'lang="en"' in mail.outbox[0].alternatives[0].content


def test_a_retried_task_does_not_send_the_email_twice():
    send_notice_email(**notice())
    assert send_notice_email(**notice()) is False
    assert len(mail.outbox) == 1


def test_every_channel_is_notified_after_commit(demo_user, django_capture_on_commit_callbacks):
    enrol_sms(demo_user)
    with django_capture_on_commit_callbacks(execute=True):
        channels = queue_password_notices(user=demo_user, event="changed", ip="192.0.2.7")
    assert channels == ["email", "sms"]
    assert len(mail.outbox) == 1 and outbox[-1].text.startswith("Ditt lösenord byttes")


def test_nothing_is_sent_before_the_transaction_commits(
    demo_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_password_notices(user=demo_user, event="reset", ip="192.0.2.7")
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_user_without_email_or_phone_gets_no_notice(django_capture_on_commit_callbacks):
    user = DirectoryUser(guid="g-none", dn="CN=x", username="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_password_notices(user=user, event="reset", ip="") == []
    assert mail.outbox == [] and outbox == []


def test_the_notice_is_signed_by_the_organisation_and_names_its_support(settings):
    settings.BRAND_ORGANISATION = "Exempelkommunen"
    settings.HELPDESK_CONTACT = "08-765 43 21"
    send_notice_email(**notice())
    (message,) = mail.outbox
    assert message.body.rstrip().endswith("Självserviceportalen\nExempelkommunen")
    assert "ring IT-supporten på 08-765 43 21." in message.body
    assert "Självserviceportalen · Exempelkommunen" in message.alternatives[0].content
