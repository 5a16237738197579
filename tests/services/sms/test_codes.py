"""One-time codes: stored as a hash, short-lived, few tries, bound to one challenge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from enrollment import onetime
from services.sms import codes as codes_module
from services.sms.challenges import (
    SmsCooldown,
    decoy_mask,
    resend_sms_code,
    start_sms_challenge,
    verify_sms_code,
)
from services.sms.codes import CodeError, code_matches, hash_code, normalize_code
from services.sms.gateways import outbox
from services.sms.models import SmsChallenge
from tests.conftest import age_throttles

from .helpers import last_code, make_request, wrong_code

pytestmark = pytest.mark.django_db
GUID = "5f0c1d7e-0000-4000-8000-000000000001"


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a challenge and run the queued send (as after a commit)."""

    def do_start(request=None, *, purpose="enroll", user_guid=GUID, phone="+46701234512"):
        request = request or make_request()
        with django_capture_on_commit_callbacks(execute=True):
            challenge = start_sms_challenge(
                request=request,
                purpose=purpose,
                user_guid=user_guid,
                username="anna",
                phone_e164=phone,
            )
        challenge.refresh_from_db()
        return request, challenge

    return do_start


def database_text() -> str:
    """Every row of every table in the database, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(cursor.fetchall())
    return repr(rows)


def verify(request, challenge, code, *, purpose="enroll", user_guid=GUID):
    return verify_sms_code(
        request=request,
        challenge_id=challenge.pk,
        purpose=purpose,
        user_guid=user_guid,
        username="anna",
        code=code,
    )


# --- reading what was typed ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["123456", "123 456", " 12 34 56 ", "123-456", "１２３４５６"])
def test_spaces_and_dashes_in_a_typed_code_are_forgiven(typed):
    assert normalize_code(typed) == "123456"


@pytest.mark.parametrize(
    "typed,code",
    [
        ("", "code_empty"),
        ("   ", "code_empty"),
        ("12345", "code_length"),
        ("1234567", "code_length"),
        ("12a456", "code_format"),
        ("abcdef", "code_format"),
        ("123.456", "code_format"),
    ],
)
def test_malformed_codes_get_a_clear_error(typed, code):
    with pytest.raises(CodeError) as err:
        normalize_code(typed)
    assert err.value.code == code
    assert err.value.message


def test_the_hash_is_bound_to_the_challenge_and_its_generation():
    a = hash_code(challenge_id="a", generation=1, code="123456")
    assert a != hash_code(challenge_id="b", generation=1, code="123456")
    assert a != hash_code(challenge_id="a", generation=2, code="123456")
    assert code_matches(challenge_id="a", generation=1, code="123456", code_hash=a)
    assert not code_matches(challenge_id="a", generation=1, code="123457", code_hash=a)


# --- storing and sending --------------------------------------------------------------


def test_only_a_hash_of_the_code_is_stored(start, monkeypatch):
    monkeypatch.setattr(onetime.secrets, "randbelow", lambda n: 480917)
    request, challenge = start()
    assert last_code() == "480917"
    assert challenge.code_hash == hash_code(
        challenge_id=str(challenge.pk), generation=1, code="480917"
    )
    everything = database_text()
    assert "480917" not in everything
    assert "46701234512" not in everything  # the number is encrypted too
    assert challenge.display == "+46 70*** **12"


def test_the_sms_names_the_portal_and_the_validity(start):
    start()
    assert outbox[-1].to == "+46701234512"
    assert outbox[-1].text == (
        f"Din kod till Självserviceportalen är {last_code()}. Den gäller i 5 minuter. "
        "Ge aldrig koden till någon, inte heller till IT-supporten."
    )


@pytest.mark.parametrize("purpose", ["enroll", "flow:a-reset-flow"])
def test_a_reset_or_enrolment_code_says_never_to_read_it_out_even_to_it(start, purpose):
    """The attack (vishing): start a reset for the victim, then phone them as
    IT support: "read me the code we just sent, to check it is you". The
    helpdesk really does ask callers for a code it sends, so a code for a
    reset must say that it is for no one, IT support included, and not look
    like the helpdesk's."""
    start(purpose=purpose)
    text = outbox[-1].text
    assert text.endswith("Ge aldrig koden till någon, inte heller till IT-supporten.")
    outbox.clear()
    start(purpose="helpdesk", phone="+46701234513")
    assert outbox[-1].text.endswith(
        "Läs upp den bara för IT-supporten i ett samtal som du själv har ringt."
    )


def test_sending_is_recorded_in_the_audit_trail_without_code_or_number(start):
    start()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["sms.code_requested", "sms.code_sent"]
    for event in AuditEvent.objects.all():
        text = str(event.details)
        assert last_code() not in text and "701234512" not in text
        assert event.details["display"] == "+46 70*** **12"
        assert event.subject_guid == GUID


# --- checking -----------------------------------------------------------------------------


def test_the_right_code_is_accepted_once(start):
    request, challenge = start()
    code = last_code()
    assert verify(request, challenge, code).used_at is not None
    with pytest.raises(CodeError) as err:
        verify(request, challenge, code)
    assert err.value.code == "code_used"


def test_an_expired_code_is_refused(start):
    request, challenge = start()
    SmsChallenge.objects.filter(pk=challenge.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(CodeError) as err:
        verify(request, challenge, last_code())
    assert err.value.code == "code_expired"


def test_a_code_is_valid_for_five_minutes(start):
    request, challenge = start()
    assert timedelta(minutes=4, seconds=59) < challenge.expires_at - challenge.created_at
    assert challenge.expires_at - challenge.created_at <= timedelta(minutes=5, seconds=1)


def test_three_wrong_tries_then_a_new_code_is_needed(start):
    request, challenge = start()
    code = last_code()
    for left in (2, 1):
        with pytest.raises(CodeError) as err:
            verify(request, challenge, wrong_code(code))
        assert (err.value.code, err.value.params["count"]) == ("code_wrong", left)
    with pytest.raises(CodeError) as err:
        verify(request, challenge, wrong_code(code))
    assert err.value.code == "code_too_many"
    with pytest.raises(CodeError) as err:
        verify(request, challenge, code)  # even the right one now
    assert err.value.code == "code_too_many"
    failed = AuditEvent.objects.filter(action="sms.code_failed")
    assert failed.count() == 4


def test_malformed_codes_do_not_use_up_tries(start):
    request, challenge = start()
    for typed in ("12", "abcdef", ""):
        with pytest.raises(CodeError):
            verify(request, challenge, typed)
    assert verify(request, challenge, last_code()).used_at is not None


def test_a_code_from_another_session_never_works(start):
    request, challenge = start()
    other = make_request()  # another browser: another session
    with pytest.raises(CodeError) as err:
        verify(other, challenge, last_code())
    assert err.value.code == "code_not_found"
    assert verify(request, challenge, last_code()).used_at is not None


def test_a_code_for_another_user_or_purpose_never_works(start):
    request, challenge = start()
    with pytest.raises(CodeError):
        verify(request, challenge, last_code(), user_guid="another-guid")
    with pytest.raises(CodeError):
        verify(request, challenge, last_code(), purpose="flow:abc")
    assert verify(request, challenge, last_code()).used_at is not None


def test_another_users_code_in_my_session_does_not_pass_my_challenge(start):
    request, mine = start()
    _other_request, _theirs = start(user_guid="guid-of-bob", phone="+46709876543")
    with pytest.raises(CodeError):
        verify(request, mine, last_code())  # bob's code, typed into my challenge


# --- sending again --------------------------------------------------------------------------


def test_a_new_code_waits_for_the_cooldown(start, django_capture_on_commit_callbacks):
    request, challenge = start()
    with pytest.raises(SmsCooldown) as err:
        resend_sms_code(request=request, challenge=challenge)
    assert 55 <= err.value.seconds_left <= 60
    assert "sekunder" in err.value.message
    assert len(outbox) == 1


def test_after_the_cooldown_a_new_code_replaces_the_old_one(
    start, django_capture_on_commit_callbacks
):
    request, challenge = start()
    old = last_code()
    for _ in range(2):  # burn two tries on the old code
        with pytest.raises(CodeError):
            verify(request, challenge, wrong_code(old))
    SmsChallenge.objects.filter(pk=challenge.pk).update(
        code_sent_at=timezone.now() - timedelta(seconds=61)
    )
    age_throttles(61)
    challenge.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        resend_sms_code(request=request, challenge=challenge)
    challenge.refresh_from_db()
    assert len(outbox) == 2 and challenge.generation == 2 and challenge.attempts == 0
    new = last_code()
    if new != old:
        with pytest.raises(CodeError):
            verify(request, challenge, old)
    assert verify(request, challenge, new).used_at is not None


# --- a decoy (unknown user in a proof flow) ---------------------------------------------------


def test_a_decoy_sends_nothing_looks_sent_and_accepts_no_code(start):
    request, challenge = start(purpose="flow:x", user_guid="", phone=None)
    assert outbox == []
    assert challenge.decoy and challenge.send_state == "sent"
    # A plausible masked number, the same each time for the same name.
    assert challenge.display == decoy_mask("anna")
    assert challenge.display.startswith("+46 7") and "***" in challenge.display
    for code in ("000000", "123456"):
        with pytest.raises(CodeError) as err:
            verify(request, challenge, code, purpose="flow:x", user_guid="")
        assert err.value.code in {"code_wrong", "code_too_many"}


def test_a_new_code_has_the_configured_length_with_leading_zeros(monkeypatch):
    monkeypatch.setattr(onetime.secrets, "randbelow", lambda n: 42)
    assert codes_module.new_code() == "000042"
    monkeypatch.undo()
    codes = {codes_module.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150
