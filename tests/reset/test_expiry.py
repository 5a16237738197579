"""Password-expiry reminders with the demo directory (tests/identity/test_ad_expiry.py
runs them against Samba): thresholds, once each, none after a change, skipped
accounts, the per-run cap, the dry run, SMS, and the coverage page's count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from devtools.demo_directory import MAX_AGE_DAYS, NEVER_EXPIRES
from devtools.models import DemoDirectoryUser
from identity import holds
from reset.expiry import send_password_expiry_reminders
from reset.models import PasswordExpiryReminder
from services.sms.gateways import outbox

from .conftest import enrol_sms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = "https://portal.example.se/"
    settings.PASSWORD_EXPIRY_REMINDER_PER_MINUTE = 0  # no pauses between test mails


def _expiring(demo_directory, username: str, *, in_days: float, max_age: int = 90, **fields):
    user = demo_directory.create_user(
        username=username,
        password="Gammal-Hemlis-42",
        mail=f"{username}@demo.local",
        display_name=username.title(),
        extra={MAX_AGE_DAYS: str(max_age), **fields.pop("extra", {})},
        **fields,
    )
    DemoDirectoryUser.objects.filter(guid=user.guid).update(
        password_last_set=timezone.now() - timedelta(days=max_age - in_days)
    )
    return user


def test_a_password_expiring_in_three_days_gets_one_reminder_with_the_links(demo_directory):
    user = _expiring(demo_directory, "erik", in_days=2.5)
    run = send_password_expiry_reminders()
    assert run.sent == 1
    (message,) = mail.outbox
    assert message.to == ["erik@demo.local"]
    assert message.subject == "Ditt lösenord går ut om 3 dagar"
    assert "https://portal.example.se/change-password/" in message.body
    assert "https://portal.example.se/inte-jag/" in message.body
    assert message.alternatives[0][1] == "text/html"
    row = PasswordExpiryReminder.objects.get()
    assert (row.user_guid, row.threshold, row.channels) == (user.guid, 3, "email")
    event = AuditEvent.objects.get(action="password.expiry_reminder")
    assert event.subject_guid == user.guid and event.details["threshold"] == 3
    # The not-me link works and names the reminder.
    token = message.body.split("/inte-jag/")[1].split("/")[0]
    assert holds.read_notice_link(token).kind == "password.expiry"


def test_each_threshold_is_sent_once_and_a_first_run_sends_only_the_smallest(demo_directory):
    _expiring(demo_directory, "erik", in_days=6.5)  # within 14 and 7: only 7
    assert send_password_expiry_reminders().sent == 1
    assert send_password_expiry_reminders().sent == 0  # the same day again
    assert list(PasswordExpiryReminder.objects.values_list("threshold", flat=True)) == [7]
    later = timezone.now() + timedelta(days=4)  # 2.5 days left: threshold 3
    assert send_password_expiry_reminders(now=later).sent == 1
    assert send_password_expiry_reminders(now=later).sent == 0
    last = timezone.now() + timedelta(days=6)  # half a day left: threshold 1
    assert send_password_expiry_reminders(now=last).sent == 1
    assert sorted(PasswordExpiryReminder.objects.values_list("threshold", flat=True)) == [1, 3, 7]
    assert [m.subject for m in mail.outbox][-1] == "Ditt lösenord går ut inom ett dygn"
    assert len(mail.outbox) == 3


def test_none_after_the_password_changed_and_a_new_password_starts_afresh(demo_directory):
    user = _expiring(demo_directory, "erik", in_days=2.5)
    assert send_password_expiry_reminders().sent == 1
    demo_directory.change_password("erik", "Gammal-Hemlis-42", "Helt-Nytt-Hemlis-77")
    assert send_password_expiry_reminders().sent == 0
    # 87 days on, the new password is within 3 days: reminded again.
    row = DemoDirectoryUser.objects.get(guid=user.guid)
    soon = row.password_last_set + timedelta(days=87, hours=12)
    assert send_password_expiry_reminders(now=soon).sent == 1
    assert PasswordExpiryReminder.objects.filter(user_guid=user.guid, threshold=3).count() == 2


@pytest.mark.parametrize(
    "state",
    [
        {"disabled": True},
        {"must_change_password": True},
        {"locked_at": "now"},
        {"extra": {NEVER_EXPIRES: "1"}},
    ],
)
def test_disabled_locked_must_change_and_never_expiring_accounts_get_none(demo_directory, state):
    user = _expiring(demo_directory, "erik", in_days=2.5)
    row = DemoDirectoryUser.objects.get(guid=user.guid)
    for key, value in state.items():
        if key == "extra":
            value = {**row.extra, **value}
        setattr(row, key, timezone.now() if value == "now" else value)
    row.save()
    assert send_password_expiry_reminders().due == []
    assert mail.outbox == []


def test_an_expired_or_far_password_gets_none(demo_directory):
    _expiring(demo_directory, "gone", in_days=-1)
    _expiring(demo_directory, "far", in_days=30)
    assert send_password_expiry_reminders().due == []


def test_the_per_run_cap_leaves_the_rest_for_the_next_run(demo_directory, settings):
    settings.PASSWORD_EXPIRY_REMINDER_MAX_PER_RUN = 1
    _expiring(demo_directory, "erik", in_days=2.5)
    _expiring(demo_directory, "frida", in_days=2.5)
    first = send_password_expiry_reminders()
    assert (first.sent, first.deferred) == (1, 1)
    second = send_password_expiry_reminders()
    assert (second.sent, second.deferred) == (1, 0)
    assert {m.to[0] for m in mail.outbox} == {"erik@demo.local", "frida@demo.local"}


def test_sending_is_paced_by_the_rate_setting(demo_directory, settings):
    settings.PASSWORD_EXPIRY_REMINDER_PER_MINUTE = 30
    for name in ("erik", "frida", "gustav"):
        _expiring(demo_directory, name, in_days=2.5)
    pauses = []
    run = send_password_expiry_reminders(sleep=pauses.append)
    assert run.sent == 3 and pauses == [2.0, 2.0]  # between sends, none before the first


def test_off_when_no_thresholds_are_set(demo_directory, settings):
    settings.PASSWORD_EXPIRY_REMINDER_DAYS = ""
    _expiring(demo_directory, "erik", in_days=2.5)
    assert send_password_expiry_reminders().sent == 0 and mail.outbox == []


def test_the_dry_run_prints_who_and_sends_nothing(demo_directory, capsys, caplog):
    _expiring(demo_directory, "erik", in_days=2.5)
    call_command("send_password_expiry_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "would remind erik: expires in 3 day(s) (threshold 3)" in out
    assert "erik@demo.local" not in out
    assert mail.outbox == [] and not PasswordExpiryReminder.objects.exists()
    assert not AuditEvent.objects.filter(action="password.expiry_reminder").exists()
    assert "erik" not in caplog.text  # no PII in the logs
    call_command("send_password_expiry_reminders")
    assert "1 due, 1 sent" in capsys.readouterr().out


def test_the_sms_goes_to_an_enrolled_phone_only_when_the_operator_allows_it(
    demo_directory, settings, django_capture_on_commit_callbacks
):
    user = _expiring(demo_directory, "erik", in_days=2.5)
    enrol_sms(user)
    with django_capture_on_commit_callbacks(execute=True):
        send_password_expiry_reminders()
    assert outbox == []  # off by default
    PasswordExpiryReminder.objects.all().delete()
    settings.PASSWORD_EXPIRY_REMINDER_SMS = True
    with django_capture_on_commit_callbacks(execute=True):
        send_password_expiry_reminders()
    (sms,) = outbox
    assert "Ditt lösenord går ut om 3 dagar" in sms.text
    assert "/change-password/" in sms.text and "/inte-jag/" in sms.text
    assert PasswordExpiryReminder.objects.get().channels == "email,sms"


def test_the_reminder_is_in_the_users_language_where_the_directory_tells_it(
    demo_directory, settings
):
    settings.LDAP_EXTRA_ATTRIBUTES = ["preferredLanguage"]
    _expiring(demo_directory, "erik", in_days=2.5, extra={"preferredLanguage": "en-GB"})
    send_password_expiry_reminders()
    assert mail.outbox[0].subject == "Your password expires in 3 days"
    assert "/en/inte-jag/" in mail.outbox[0].body


def test_the_coverage_page_counts_passwords_expiring_in_14_days(demo_directory, client):
    from tests.helpdesk.conftest import PASSWORD

    _expiring(demo_directory, "erik", in_days=2.5)
    _expiring(demo_directory, "frida", in_days=13)
    _expiring(demo_directory, "far", in_days=20)
    demo_directory.create_user(
        username="helena", password=PASSWORD, groups=["Helpdesk"], mail="h@demo.local"
    )
    client.post(reverse("login"), {"username": "helena", "password": PASSWORD})
    page = client.get(reverse("admin:helpdesk_coverage")).content.decode()
    assert 'data-expiring="2"' in page
    assert "2 användares lösenord går ut inom 14 dagar." in page
