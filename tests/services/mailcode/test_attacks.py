"""The attacks, run: mail bombing one address, pumping codes through many
accounts, brute-forcing a code, and telling accounts apart by their answers."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from audit.models import AuditEvent
from enrollment.crypto import encrypt
from enrollment.services import save_enrollment
from identity import protection
from services.mailcode.address import address_hash, mask
from services.mailcode.challenges import start_mail_challenge
from services.mailcode.codes import CodeError
from services.mailcode.limits import MailRateLimited
from services.mailcode.verify import prove_with_mail_code, send_verify_code
from tests.conftest import age_throttles
from tests.services.sms.helpers import make_request

from .helpers import PRIVATE, code_mails, enrol_mail, last_code, wrong_code

pytestmark = pytest.mark.django_db

VICTIM = "offer@example.org"


def send(capture, *, user: str, address: str | None = VICTIM, ip: str = "192.0.2.10"):
    with capture(execute=True):
        return start_mail_challenge(
            request=make_request(ip=ip),
            purpose="enroll",
            user_guid=user,
            username=user,
            address=address,
        )


def test_mail_bombing_one_address_through_many_accounts_stops_at_its_limits(
    django_capture_on_commit_callbacks,
):
    """An attacker with many accounts (or stolen passwords) enrols the victim's
    address over and over: the cooldown per address, then its hourly limit."""
    send(django_capture_on_commit_callbacks, user="guid-0", ip="192.0.2.0")
    with pytest.raises(MailRateLimited) as err:
        send(django_capture_on_commit_callbacks, user="guid-1", ip="192.0.2.1")
    assert err.value.scope == "cooldown"
    sent = 1
    for i in range(2, 30):
        age_throttles(61, scope_prefix="email-cooldown")
        try:
            send(django_capture_on_commit_callbacks, user=f"guid-{i}", ip=f"192.0.2.{i}")
            sent += 1
        except MailRateLimited as exc:
            assert exc.scope == "send_address"
            assert exc.message == "Du har begärt för många koder. Vänta en stund och försök igen."
            break
    assert sent == 5 and len(code_mails()) == 5
    assert [m.to for m in code_mails()] == [[VICTIM]] * 5
    refused = AuditEvent.objects.filter(action="email.rate_limited").values_list(
        "details__scope", flat=True
    )
    assert set(refused) == {"cooldown", "send_address"}


def test_pumping_codes_through_many_accounts_from_one_client_stops_at_its_limit(
    django_capture_on_commit_callbacks, settings
):
    settings.MAILCODE_RATE_LIMITS = {"send_ip": (20, 3600)}
    for i in range(20):
        send(django_capture_on_commit_callbacks, user=f"guid-{i}", address=f"a{i}@example.org")
    with pytest.raises(MailRateLimited) as err:
        send(django_capture_on_commit_callbacks, user="guid-99", address="a99@example.org")
    assert err.value.scope == "send_ip"
    assert len(code_mails()) == 20


def test_the_global_budget_holds_and_raises_one_alert(
    django_capture_on_commit_callbacks, settings, caplog
):
    settings.MAILCODE_GLOBAL_HOURLY_BUDGET = 3
    for i in range(3):
        send(
            django_capture_on_commit_callbacks,
            user=f"g{i}",
            address=f"b{i}@example.org",
            ip=f"198.51.100.{i}",
        )
    with caplog.at_level(logging.ERROR):
        for i in range(3, 6):
            with pytest.raises(MailRateLimited) as err:
                send(
                    django_capture_on_commit_callbacks,
                    user=f"g{i}",
                    address=f"b{i}@example.org",
                    ip=f"198.51.100.{i}",
                )
            assert err.value.code == "mail_budget"
    assert "E-mail code budget spent: 3 codes in the last hour" in caplog.text
    assert AuditEvent.objects.filter(action="email.budget_exhausted").count() == 1
    assert len(code_mails()) == 3
    # A decoy is refused alike while the budget is spent (no oracle).
    with pytest.raises(MailRateLimited) as err:
        send(django_capture_on_commit_callbacks, user="", address=None, ip="203.0.113.9")
    assert err.value.code == "mail_budget"


def test_brute_forcing_codes_is_stopped_by_the_account_lockout(
    client, demo_user, settings, django_capture_on_commit_callbacks
):
    """New codes each time (so the three tries per code never run out): the
    failed proofs count on the account, and the lockout stops it."""
    from tests.services.mailcode.test_verify_view import start_flow

    settings.RESET_MAX_FAILED_PROOFS = 5
    enrol_mail(demo_user)
    request = make_request(client.session)
    flow = start_flow(client, user_guid=demo_user.guid, username="anna")
    request.session = client.session
    guesses = 0
    with pytest.raises(MailRateLimited) as err:
        for _ in range(20):
            age_throttles(61, scope_prefix="email-cooldown")
            with django_capture_on_commit_callbacks(execute=True):
                challenge = send_verify_code(request=request, flow=flow)
            challenge.code_sent_at = challenge.code_sent_at.replace(year=2000)
            challenge.save()
            try:
                prove_with_mail_code(request=request, flow=flow, code=wrong_code(last_code()))
            except CodeError:
                guesses += 1
    assert err.value.code == "locked_out"
    assert guesses == 5
    assert protection.is_locked_out(user_guid=demo_user.guid)
    # Locked out, even the right code is not compared, and no more codes are sent.
    sent = len(code_mails())
    age_throttles(61, scope_prefix="email-cooldown")
    with pytest.raises(MailRateLimited):
        send_verify_code(request=request, flow=flow)
    assert len(code_mails()) == sent
    assert AuditEvent.objects.filter(action="reset.locked_out").count() == 1


def test_unknown_and_enrolled_accounts_get_the_same_answers_to_the_same_attack(
    django_capture_on_commit_callbacks, demo_user
):
    """The sixth code an hour is refused alike for a real address and a decoy:
    a limit only real addresses had would tell who has E-postkod."""
    enrol_mail(demo_user)
    answers = {}
    for who, guid, address in (("real", demo_user.guid, PRIVATE), ("decoy", "", None)):
        codes = []
        for i in range(7):
            age_throttles(61, scope_prefix="email-cooldown")
            try:
                with django_capture_on_commit_callbacks(execute=True):
                    start_mail_challenge(
                        request=make_request(ip=f"203.0.113.{i}"),
                        purpose="flow:x",
                        user_guid=guid,
                        username="anna" if guid else "nobody",
                        address=address,
                    )
                codes.append("sent")
            except MailRateLimited as exc:
                codes.append(exc.code)
        answers[who] = codes
    assert answers["real"] == answers["decoy"]
    assert answers["real"][:5] == ["sent"] * 5 and answers["real"][5] == "rate_limited_send"
    assert len([m for m in mail.outbox if m.to == [PRIVATE]]) == 5


def test_the_address_is_stored_only_encrypted_and_hashed(demo_user):
    enrollment = save_enrollment(
        request=None,
        user_guid=demo_user.guid,
        username="anna",
        service="email",
        display=mask(VICTIM),
        protected_value=encrypt(VICTIM),
        value_hash=address_hash(VICTIM),
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM enrollment_enrollment WHERE id = %s", [enrollment.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "offer" not in row and "example.org" not in row
