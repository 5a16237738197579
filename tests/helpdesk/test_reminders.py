"""Reminders to enrol: to the configured group, not fully enrolled, once per period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from enrollment.services import save_enrollment
from helpdesk.models import EnrollmentReminder
from helpdesk.reminders import send_enrollment_reminders
from helpdesk.tasks import send_enrollment_reminders as reminder_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.IDENTITY_SERVICES = [
        {"class": "services.sms.service.SmsService", "weight": 1},
        {"class": "services.bankid.service.BankIDService", "weight": 1},
    ]
    settings.ENROLLMENT_STARS_FULL = 2
    settings.ENROLLMENT_REMINDER_GROUP = ""
    settings.ENROLLMENT_REMINDER_DAYS = 30
    settings.PORTAL_URL = "https://losenord.example.se/"


@pytest.fixture
def staff(demo_directory):
    def make(username, *, groups=(), mail_address=None, disabled=False):
        return demo_directory.create_user(
            username=username,
            password="x",
            display_name=username.title(),
            mail=f"{username}@demo.local" if mail_address is None else mail_address,
            groups=list(groups),
            disabled=disabled,
        )

    return make


def enrol(user, *services):
    for service in services:
        save_enrollment(
            request=None, user_guid=user.guid, username=user.username, service=service, display="x"
        )


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_users_without_a_full_star_row_are_reminded(staff):
    enrol(staff("full"), "sms", "bankid")
    enrol(staff("half"), "sms")
    staff("none")
    staff("nomail", mail_address="")
    staff("off", disabled=True)
    run = send_enrollment_reminders()
    assert recipients() == ["half@demo.local", "none@demo.local"]
    assert (run.sent, run.failed) == (2, 0)


def test_only_the_configured_group_is_reminded(staff, settings):
    settings.ENROLLMENT_REMINDER_GROUP = "Alla anställda"
    staff("in", groups=["alla anställda"])
    staff("out")
    send_enrollment_reminders()
    assert recipients() == ["in@demo.local"]


def test_nobody_is_reminded_twice_within_the_period(staff):
    staff("none")
    send_enrollment_reminders()
    send_enrollment_reminders(now=timezone.now() + timedelta(days=29))
    assert len(mail.outbox) == 1


def test_a_user_is_reminded_again_after_the_period(staff):
    person = staff("none")
    send_enrollment_reminders()
    send_enrollment_reminders(now=timezone.now() + timedelta(days=31))
    assert len(mail.outbox) == 2
    assert EnrollmentReminder.objects.get(user_guid=person.guid).times_sent == 2


def test_zero_days_turns_reminders_off(staff, settings):
    settings.ENROLLMENT_REMINDER_DAYS = 0
    staff("none")
    assert send_enrollment_reminders().sent == 0
    assert not mail.outbox


def test_the_reminder_is_a_text_and_html_mail_with_the_link_and_stars(staff):
    enrol(staff("half"), "sms")
    send_enrollment_reminders()
    (message,) = mail.outbox
    assert message.subject == "Fyll din stjärnrad i Självserviceportalen"
    assert "Du har 1 av 2 stjärnor" in message.body
    assert "https://losenord.example.se/" in message.body
    assert "Mobilt BankID" in message.body and "Mobilkod" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="https://losenord.example.se/"' in html


def test_each_reminder_is_audited(staff):
    person = staff("none")
    send_enrollment_reminders()
    event = AuditEvent.objects.get(action="enrollment.reminder_sent")
    assert (event.result, event.subject_guid, event.actor) == ("success", person.guid, "system")


def test_the_command_and_the_beat_task_send_reminders(staff, capsys):
    staff("one")
    call_command("send_enrollment_reminders")
    assert "1 due, 1 sent, 0 failed" in capsys.readouterr().out
    staff("two")
    assert reminder_task.delay().get() == 1
    assert recipients() == ["one@demo.local", "two@demo.local"]
