"""Enrolling Mobilkod through the pages, with the LocmemBackend as the phone."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import responses
from django.urls import reverse
from django.utils import timezone

from enrollment import proofs
from enrollment.crypto import decrypt, encrypt, pii_hash
from enrollment.models import Enrollment
from enrollment.services import save_enrollment
from enrollment.stars import star_meter
from services.sms.gateways import outbox
from services.sms.models import SmsChallenge
from tests.conftest import age_throttles

from .helpers import last_code, wrong_code
from .test_gateway_timeout import SilentServer

pytestmark = pytest.mark.django_db(transaction=True)
SMS_ONLY = [{"class": "services.sms.service.SmsService", "weight": 1}]
WITH_OTHER = SMS_ONLY + [{"class": "tests.services.sms.helpers.OtherService", "weight": 1}]


@pytest.fixture(autouse=True)
def _sms_only(settings):
    settings.IDENTITY_SERVICES = SMS_ONLY
    settings.ENROLLMENT_STARS_FULL = 2


def page(response) -> str:
    return response.content.decode()


def send_number(client, number="070-123 45 12", country="SE"):
    return client.post(reverse("sms_enroll"), {"country": country, "number": number})


def confirm(client, code):
    return client.post(reverse("sms_confirm"), {"code": code})


# --- the number page ----------------------------------------------------------------


def test_the_pages_need_a_login(client, demo_user):
    for name in ("sms_enroll", "sms_confirm"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_old_login_must_type_the_password_again(anna_client):
    session = anna_client.session
    session["auth_at"] = int(time.time()) - 16 * 60
    session.save()
    response = anna_client.get(reverse("sms_enroll"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_number_page_follows_the_guide_and_suggests_the_ad_number(anna_client):
    response = anna_client.get(reverse("sms_enroll"))
    html = page(response)
    assert response.status_code == 200
    assert "<h1" in html and "Mobilkod</h1>" in html
    assert (
        "Välj ditt land och skriv in ditt mobilnummer. Om du skriver numret på internationellt "
        "format, som börjar med ett plustecken, så väljs ditt land automatiskt." in html
    )
    assert 'Fyll i ditt mobilnummer och klicka på "Skicka koden"' in html
    assert ">Skicka koden</button>" in html
    assert re.search(r'<option value="SE" selected>Sverige \(\+46\)</option>', html)
    assert 'value="+46 70 123 45 12"' in html  # AD's mobile, as a suggestion
    assert "data-calling-codes=" in html and "js/phone-country.js" in html
    assert '<label for="id_number">' in html and '<label for="id_country">' in html


@pytest.mark.parametrize(
    "number,country,message",
    [
        ("070-ABC", "SE", "Mobilnumret får bara innehålla siffror"),
        ("08-123 456 78", "SE", "Numret går till en fast telefon."),
        ("0701234", "SE", "Mobilnumret är för kort."),
        ("+999 1234567", "SE", "Landsnumret efter plustecknet finns inte."),
        ("", "SE", "Skriv in ditt mobilnummer."),
        ("0701234512", "XX", "Välj ett land i listan."),
        ("7" * 20_000, "SE", "Mobilnumret är för långt."),
    ],
)
def test_bad_numbers_get_a_clear_message_and_send_nothing(anna_client, number, country, message):
    response = send_number(anna_client, number, country)
    html = page(response)
    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert len(html) < 60_000  # a 20 kB number is not echoed back
    assert outbox == [] and not SmsChallenge.objects.exists()


def test_a_number_in_international_form_picks_its_country(anna_client):
    response = send_number(anna_client, "+4670 123 45 12", country="NO")
    assert response.status_code == 302
    assert outbox[-1].to == "+46701234512"


# --- the code page ----------------------------------------------------------------


def test_enrolling_sends_a_code_and_the_right_code_saves_the_number(anna_client, demo_user):
    assert star_meter(user_guid=demo_user.guid).collected == 0
    response = send_number(anna_client)
    assert response.status_code == 302 and response["Location"] == reverse("sms_confirm")
    assert outbox[-1].to == "+46701234512"
    assert not Enrollment.objects.exists()  # nothing saved before the code is confirmed

    html = page(anna_client.get(reverse("sms_confirm")))
    assert "Koden skickades till +46 70*** **12. Kolla dina sms och skriv in koden nedan." in html
    assert "Fyll i koden och tryck på bekräfta" in html
    assert ">Bekräfta</button>" in html and "Skicka koden igen" in html
    assert 'autocomplete="one-time-code"' in html and "js/code-status.js" in html

    response = confirm(anna_client, " ".join(last_code()[i : i + 3] for i in (0, 3)))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    enrollment = Enrollment.objects.get(user_guid=demo_user.guid, service="sms")
    assert enrollment.display == "+46 70*** **12"
    assert "701234512" not in enrollment.protected_value
    assert decrypt(enrollment.protected_value) == "+46701234512"
    assert enrollment.value_hash == pii_hash("+46701234512", purpose="phone")
    assert star_meter(user_guid=demo_user.guid).collected == 1

    after = page(anna_client.get(reverse("sms_enroll")))
    assert "Du har nu registrerat ditt mobiltelefonnummer för återställning av lösenord!" in after
    assert "Du har registrerat +46 70*** **12." in after


def test_the_home_page_star_row_fills_by_one(anna_client, demo_user):
    def filled(html):
        return html.count('class="star"')

    before = page(anna_client.get(reverse("home")))
    send_number(anna_client)
    confirm(anna_client, last_code())
    after = page(anna_client.get(reverse("home")))
    assert (filled(before), filled(after)) == (0, 1)
    assert "1 av 2 stjärnor" in after


def test_a_wrong_code_says_how_many_tries_are_left(anna_client):
    send_number(anna_client)
    response = confirm(anna_client, wrong_code(last_code()))
    assert response.status_code == 400
    assert "Fel kod. Du har 2 försök kvar." in page(response)
    assert 'aria-invalid="true"' in page(response)
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    "typed,message",
    [("12345", "Koden ska vara 6 siffror."), ("12a456", "Koden får bara innehålla siffror.")],
)
def test_a_malformed_code_gets_a_clear_message(anna_client, typed, message):
    send_number(anna_client)
    response = confirm(anna_client, typed)
    assert response.status_code == 400 and message in page(response)


def test_a_huge_code_body_does_not_crash(anna_client):
    send_number(anna_client)
    response = confirm(anna_client, "1" * 20_000)
    assert response.status_code == 400 and "Koden ska vara 6 siffror." in page(response)


def test_an_expired_code_asks_for_a_new_one(anna_client):
    send_number(anna_client)
    SmsChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = confirm(anna_client, last_code())
    assert "Koden har gått ut. Skicka en ny kod." in page(response)
    assert not Enrollment.objects.exists()


def test_sending_again_waits_for_the_cooldown(anna_client):
    send_number(anna_client)
    response = anna_client.post(reverse("sms_confirm"), {"resend": "1"})
    assert response.status_code == 400
    assert re.search(r"Vänta \d+ sekunder innan du skickar koden igen\.", page(response))
    assert len(outbox) == 1
    SmsChallenge.objects.update(code_sent_at=timezone.now() - timedelta(seconds=61))
    age_throttles(61)
    response = anna_client.post(reverse("sms_confirm"), {"resend": "1"})
    assert response.status_code == 302 and len(outbox) == 2
    assert confirm(anna_client, last_code()).status_code == 302
    assert Enrollment.objects.filter(service="sms").exists()


def test_a_gateway_failure_says_so_and_enrolls_nothing(anna_client, settings):
    settings.SMS_BACKEND = "services.sms.gateways.HttpBackend"
    settings.SMS_HTTP_URL = "https://sms.example.test/send"
    with responses.RequestsMock() as gateway:
        gateway.post("https://sms.example.test/send", status=503)
        send_number(anna_client)
    html = page(anna_client.get(reverse("sms_confirm")))
    assert "Sms-tjänsten svarar inte just nu, så koden kunde inte skickas" in html
    assert "Skicka koden igen" in html and "Du kan få en ny kod om" not in html
    assert not Enrollment.objects.exists()


def test_a_gateway_that_hangs_times_out_and_the_user_is_told(anna_client, settings):
    server = SilentServer()
    try:
        settings.SMS_BACKEND = "services.sms.gateways.HttpBackend"
        settings.SMS_HTTP_URL = server.url
        settings.SMS_TIMEOUT = 0.3
        settings.SMS_RETRIES = 0
        send_number(anna_client)
    finally:
        server.close()
    html = page(anna_client.get(reverse("sms_confirm")))
    assert "Sms-tjänsten svarar inte just nu" in html
    assert SmsChallenge.objects.get().send_error == "timeout"
    assert not Enrollment.objects.exists()


def test_the_status_endpoint_reports_sending_to_its_own_session_only(anna_client, client_factory):
    send_number(anna_client)
    challenge = SmsChallenge.objects.get()
    url = reverse("sms_status", args=[challenge.pk])
    data = anna_client.get(url).json()
    assert data["state"] == "sent" and "+46 70*** **12" in data["message"]
    assert client_factory().get(url).status_code == 404


# --- changing an enrolled number -------------------------------------------------------


def enroll_directly(user, service="sms"):
    save_enrollment(
        request=None,
        user_guid=user.guid,
        username=user.username,
        service=service,
        display="+46 70*** **99",
        protected_value=encrypt("+46701234599"),
    )


def test_with_only_mobilkod_enrolled_the_fresh_login_is_enough(anna_client, demo_user):
    enroll_directly(demo_user)
    response = anna_client.get(reverse("sms_enroll"))
    assert response.status_code == 200 and "Du har registrerat +46 70*** **99." in page(response)


def test_changing_the_number_needs_proof_through_another_service(anna_client, demo_user, settings):
    settings.IDENTITY_SERVICES = WITH_OTHER
    enroll_directly(demo_user, "sms")
    enroll_directly(demo_user, "other")
    response = anna_client.get(reverse("sms_enroll"))
    assert response.status_code == 302
    flow_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    response = send_number(anna_client)
    assert response.status_code == 302 and flow_id in response["Location"]  # same proof asked
    assert not [m for m in outbox if "Din kod" in m.text]  # no code before the proof

    session = anna_client.session
    flow = session["proof_flows"][flow_id]
    assert (flow["purpose"], flow["user_guid"]) == ("step_up", demo_user.guid)
    flow["proved"]["other"] = time.time()  # as the other service's verify view does
    session.save()

    assert anna_client.get(reverse("sms_enroll")).status_code == 200
    send_number(anna_client, "070-765 43 21")
    assert confirm(anna_client, last_code()).status_code == 302
    enrollment = Enrollment.objects.get(user_guid=demo_user.guid, service="sms")
    assert decrypt(enrollment.protected_value) == "+46707654321"
    assert proofs.ProofFlow(**flow).id not in anna_client.session.get("proof_flows", {})


def _age_enrollment(user, service: str, seconds: int) -> None:
    Enrollment.objects.filter(user_guid=user.guid, service=service).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_a_service_added_minutes_ago_cannot_vouch_for_changing_an_older_one(
    anna_client, demo_user, settings
):
    """The attack (someone with the password): add a service of their own
    (a new service needs no step-up), prove it in the step-up, and replace the
    owner's older number with their own. The new service is in its quiet
    period: it proves nothing about who changes the old one, so the step-up
    asks for the number being changed instead."""
    settings.IDENTITY_SERVICES = WITH_OTHER
    settings.RESET_NEW_SERVICE_QUIET_SECONDS = 24 * 3600
    enroll_directly(demo_user, "sms")
    _age_enrollment(demo_user, "sms", 30 * 24 * 3600)  # the owner's number, a month old
    enroll_directly(demo_user, "other")  # the attacker's, just now

    response = anna_client.get(reverse("sms_enroll"))
    assert response.status_code == 302
    flow_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    session = anna_client.session
    session["proof_flows"][flow_id]["proved"]["other"] = time.time()  # the attacker's proof
    session.save()

    response = send_number(anna_client, "070-765 43 21")
    assert response.status_code == 302
    assert response["Location"] == reverse("sms_verify", kwargs={"flow_id": flow_id})
    assert not [m for m in outbox if "Din kod" in m.text]
    assert (
        decrypt(Enrollment.objects.get(user_guid=demo_user.guid, service="sms").protected_value)
        == "+46701234599"
    )


def test_once_the_new_service_is_past_its_quiet_period_it_can_vouch(
    anna_client, demo_user, settings
):
    settings.IDENTITY_SERVICES = WITH_OTHER
    settings.RESET_NEW_SERVICE_QUIET_SECONDS = 24 * 3600
    enroll_directly(demo_user, "sms")
    enroll_directly(demo_user, "other")
    _age_enrollment(demo_user, "sms", 30 * 24 * 3600)
    _age_enrollment(demo_user, "other", 25 * 3600)

    response = anna_client.get(reverse("sms_enroll"))
    flow_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    session = anna_client.session
    session["proof_flows"][flow_id]["proved"]["other"] = time.time()
    session.save()
    assert anna_client.get(reverse("sms_enroll")).status_code == 200
