"""The authenticator app as a proof in a flow (reset, unlock, step-up): one code."""

from __future__ import annotations

import re

import pytest

from audit.models import AuditEvent
from enrollment.models import Enrollment

from .helpers import code, flow_in, start_flow, verify_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow_client(client_factory, anna_app, demo_user):
    """A new browser (not logged in) with a reset flow for Anna."""
    c = client_factory()
    c.flow = start_flow(c, user_guid=demo_user.guid, username="anna")
    return c


def post(c, typed: str):
    return c.post(verify_url(c.flow), {"code": typed})


def failures(c) -> int:
    return flow_in(c, c.flow.id).failures


def test_the_right_code_marks_the_app_proved_and_returns_to_the_flow(flow_client, anna_app):
    page = flow_client.get(verify_url(flow_client.flow)).content.decode()
    assert "Öppna autentiseringsappen som du har lagt till för ditt konto." in page
    response = post(flow_client, code(anna_app, steps=1))  # the enrolment used this step's code
    assert response.status_code == 302 and response["Location"] == "/after/"
    assert "totp" in flow_in(flow_client, flow_client.flow.id).proved
    assert Enrollment.objects.get(service="totp").last_used_at is not None
    assert AuditEvent.objects.filter(action="totp.code_verified", result="success").exists()
    assert flow_client.get(verify_url(flow_client.flow))["Location"] == "/after/"


def test_a_wrong_code_counts_as_a_failure_and_can_be_retried(flow_client, anna_app):
    wrong = f"{(int(code(anna_app, steps=1)) + 1) % 10**6:06d}"
    response = post(flow_client, wrong)
    assert response.status_code == 400
    assert "Fel kod. Skriv in koden som autentiseringsappen visar just nu och försök igen." in (
        response.content.decode()
    )
    assert failures(flow_client) == 1
    event = AuditEvent.objects.filter(action="totp.code_failed").latest("pk")
    assert event.details["reason"] == "code_wrong" and event.details["purpose"] == "reset"
    assert post(flow_client, code(anna_app, steps=1)).status_code == 302


def test_a_code_used_once_is_refused_as_used(flow_client, client_factory, anna_app, demo_user):
    assert post(flow_client, code(anna_app, steps=1)).status_code == 302
    again = client_factory()
    again.flow = start_flow(again, user_guid=demo_user.guid, username="anna")
    response = post(again, code(anna_app, steps=1))
    assert response.status_code == 400
    assert "Koden har redan använts. Vänta tills appen visar en ny kod" in response.content.decode()
    event = AuditEvent.objects.filter(action="totp.code_failed").latest("pk")
    assert event.details["reason"] == "code_replayed"


def test_a_code_outside_the_tolerance_is_told_expired_or_early(flow_client, anna_app):
    response = post(flow_client, code(anna_app, steps=-4))
    assert response.status_code == 400
    assert "Koden har gått ut." in response.content.decode()
    response = post(flow_client, code(anna_app, steps=5))
    assert "Koden gäller inte än. Kontrollera att telefonens klocka" in response.content.decode()
    reasons = list(
        AuditEvent.objects.filter(action="totp.code_failed").values_list(
            "details__reason", flat=True
        )
    )
    assert reasons[-2:] in (["code_expired", "code_early"], ["code_early", "code_expired"])
    assert failures(flow_client) == 2


def test_one_step_of_drift_either_way_is_accepted(client_factory, anna_app, demo_user):
    for steps in (-1, 1):
        c = client_factory()
        c.flow = start_flow(c, user_guid=demo_user.guid, username="anna")
        # -1 is the step before the enrolment's code: refused as used, not as wrong.
        response = post(c, code(anna_app, steps=steps))
        if steps == 1:
            assert response.status_code == 302
        else:
            assert "Koden har redan använts." in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12a456", "Koden får bara innehålla siffror."),
        ("abcdef", "Koden får bara innehålla siffror."),
        ("12345", "Koden ska vara 6 siffror."),
        ("1234567", "Koden ska vara 6 siffror."),
        ("   ", "Skriv in koden från autentiseringsappen."),
    ],
)
def test_a_malformed_code_is_explained_audited_and_not_counted(flow_client, typed, message):
    response = post(flow_client, typed)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert failures(flow_client) == 0
    event = AuditEvent.objects.filter(action="totp.code_failed").latest("pk")
    assert event.details["compared"] is False


def test_spaces_and_dashes_are_forgiven(flow_client, anna_app):
    right = code(anna_app, steps=1)
    assert post(flow_client, f"{right[:3]} - {right[3:]}").status_code == 302


def test_a_wrong_code_makes_the_next_try_wait(flow_client, anna_app, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    post(flow_client, "000000" if code(anna_app, steps=1) != "000000" else "111111")
    response = post(flow_client, code(anna_app, steps=1))
    assert response.status_code == 400
    assert "Vänta 60 sekunder innan du försöker igen." in response.content.decode()
    assert failures(flow_client) == 1  # the wait is not a try
    assert "totp" not in flow_in(flow_client, flow_client.flow.id).proved


def test_an_unknown_flow_says_to_start_over(client):
    from django.urls import reverse

    response = client.get(reverse("totp_verify", kwargs={"flow_id": "no-such-flow"}))
    assert response.status_code == 400
    assert "Börja om från startsidan." in response.content.decode()


def _shape(response, flow) -> str:
    html = response.content.decode().replace(flow.id, "FLOW")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


@pytest.mark.parametrize("who", ["unknown", "not_enrolled"])
def test_an_account_without_the_app_gets_the_same_pages_and_answers(
    flow_client, client_factory, demo_directory, anna_app, settings, who
):
    decoy = client_factory()
    if who == "unknown":
        decoy.flow = start_flow(decoy, user_guid="", username="nobody")
    else:
        bob = demo_directory.create_user(username="bob", password="Bobs-Hemlis-42")
        decoy.flow = start_flow(decoy, user_guid=bob.guid, username="bob")
    real = flow_client
    get = verify_url
    assert _shape(decoy.get(get(decoy.flow)), decoy.flow) == _shape(
        real.get(get(real.flow)), real.flow
    )
    wrong = "000000" if code(anna_app, steps=1) != "000000" else "111111"
    for typed in (wrong, "12a456", "12345"):
        a, b = post(decoy, typed), post(real, typed)
        assert a.status_code == b.status_code == 400
        assert _shape(a, decoy.flow) == _shape(b, real.flow)
    # django-otp's throttling is the same too.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    post(decoy, wrong), post(real, wrong)
    a, b = post(decoy, wrong), post(real, wrong)
    assert "Vänta 60 sekunder" in a.content.decode()
    assert _shape(a, decoy.flow) == _shape(b, real.flow)
    assert flow_in(decoy, decoy.flow.id).proved == {}
    event = AuditEvent.objects.filter(action="totp.code_failed", subject=decoy.flow.username)
    assert event.latest("pk").details.get("decoy") is True


def test_a_pasted_page_is_refused_as_too_long_and_audited(flow_client):
    response = post(flow_client, "1" * 5000)
    assert response.status_code == 400
    assert "Koden ska vara 6 siffror." in response.content.decode()
    assert "1" * 100 not in response.content.decode()
    event = AuditEvent.objects.filter(action="totp.code_failed").latest("pk")
    assert event.details["reason"] == "code_length"


@pytest.mark.parametrize(
    ("purpose", "step"), [("reset", "Steg 2 av 3:"), ("unlock", "Steg 2 av 2:")]
)
def test_the_page_shows_the_step_of_the_flow(client, anna_app, demo_user, purpose, step):
    flow = start_flow(client, user_guid=demo_user.guid, username="anna", purpose=purpose)
    page = client.get(verify_url(flow)).content.decode()
    assert 'class="steps"' in page and step in page
    step_up = start_flow(client, user_guid=demo_user.guid, username="anna", purpose="step_up")
    assert 'class="steps"' not in client.get(verify_url(step_up)).content.decode()


def test_bad_codes_leave_no_traceback_and_no_code_in_the_log(flow_client, anna_app, caplog):
    caplog.set_level("DEBUG")
    typed = ["abcdef", "12345", "1234567", "", "000000", code(anna_app, steps=-4), "9" * 500]
    for each in typed:
        assert post(flow_client, each).status_code == 400
    assert not [r for r in caplog.records if r.exc_info]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert code(anna_app, steps=-4) not in logged and anna_app.secret not in logged
