"""Enrolling E-postkod through the pages, with Django's outbox as the mailbox."""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from enrollment.crypto import decrypt
from enrollment.models import Enrollment
from enrollment.stars import star_meter
from services.mailcode.models import MailChallenge
from tests.conftest import age_throttles

from .helpers import PRIVATE, code_mails, enrol_mail, last_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)
MAIL_ONLY = [{"class": "services.mailcode.service.MailCodeService", "weight": 1}]
WITH_OTHER = MAIL_ONLY + [{"class": "tests.services.sms.helpers.OtherService", "weight": 1}]


@pytest.fixture(autouse=True)
def _mail_only(settings):
    settings.IDENTITY_SERVICES = MAIL_ONLY
    settings.ENROLLMENT_STARS_FULL = 2


def page(response) -> str:
    return response.content.decode()


def send_address(client, address=PRIVATE):
    return client.post(reverse("mailcode_enroll"), {"address": address})


def confirm(client, code):
    return client.post(reverse("mailcode_confirm"), {"code": code})


class FailingBackend:
    """A mail server that refuses for now (4xx) every time: counts its tries."""

    tries = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        type(self).tries += 1
        raise smtplib.SMTPResponseException(451, b"try again later")


def test_the_pages_need_a_login(client, demo_user):
    for name in ("mailcode_enroll", "mailcode_confirm", "mailcode_remove"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_old_login_must_type_the_password_again(anna_client):
    session = anna_client.session
    session["auth_at"] = int(time.time()) - 16 * 60
    session.save()
    response = anna_client.get(reverse("mailcode_enroll"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_enrolling_sends_a_code_and_the_right_code_saves_the_address_encrypted(
    anna_client, demo_user
):
    html = page(anna_client.get(reverse("mailcode_enroll")))
    assert "Skriv in en privat e-postadress" in html and 'autocomplete="email"' in html

    response = send_address(anna_client, "  Anna.Privat@Example.ORG ")
    assert response.status_code == 302 and response["Location"] == reverse("mailcode_confirm")
    sent = code_mails()[-1]
    assert sent.to == ["Anna.Privat@example.org"]
    assert sent.subject == "Din kod till Självserviceportalen"
    assert "Du har bett om att få använda den här adressen" in sent.body
    html_part = sent.alternatives[0]
    assert html_part[1] == "text/html" and last_code() in html_part[0]
    assert not Enrollment.objects.filter(service="email").exists()  # not before the code

    html = page(anna_client.get(reverse("mailcode_confirm")))
    assert "Koden skickades till A•••@e•••.org." in html
    challenge = MailChallenge.objects.get()
    assert last_code() not in challenge.code_hash
    assert "example" not in challenge.address_protected.lower()

    response = confirm(anna_client, last_code())
    assert response.status_code == 302 and response["Location"] == reverse("home")
    enrollment = Enrollment.objects.get(user_guid=demo_user.guid, service="email")
    assert enrollment.display == "A•••@e•••.org"
    assert decrypt(enrollment.protected_value) == "Anna.Privat@example.org"
    assert "example" not in enrollment.protected_value.lower()
    assert len(enrollment.value_hash) == 64
    assert AuditEvent.objects.filter(action="email.enrolled", result="success").exists()
    assert AuditEvent.objects.filter(action="enrollment.created").exists()
    # No address in the audit trail: masked only.
    for event in AuditEvent.objects.all():
        assert "Anna.Privat" not in str(event.details)
    # The notice to the AD mail (the core's notice path).
    assert any(m.to == ["anna.andersson@demo.local"] for m in mail.outbox)
    assert star_meter(user_guid=demo_user.guid).collected == 1


def test_an_address_at_the_organisations_own_domain_is_refused_with_why(anna_client):
    response = send_address(anna_client, "anna@demo.local")
    assert response.status_code == 400
    assert "Adresser på demo.local går till organisationens egen e-post" in page(response)
    assert code_mails() == []
    event = AuditEvent.objects.get(action="email.address_refused")
    assert event.details == {"reason": "address_own_domain", "domain": "demo.local"}
    # The user can correct it at once.
    assert send_address(anna_client, PRIVATE).status_code == 302


def test_the_own_domain_message_is_in_english_on_english_pages(anna_client):
    response = anna_client.post("/en/email/", {"address": "anna@demo.local"})
    assert "Addresses at demo.local go to the organisation&#x27;s own e-mail" in page(response)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv in din privata e-postadress."),
        ("anna.example.org", "Det här är inte en giltig e-postadress."),
        ("anna@example", "Det här är inte en giltig e-postadress."),
        ("x" * 2000, "E-postadressen är för lång."),
    ],
)
def test_bad_addresses_get_a_clear_message_and_send_nothing(anna_client, typed, message):
    response = send_address(anna_client, typed)
    assert response.status_code == 400 and message in page(response)
    assert 'aria-invalid="true"' in page(response)
    assert code_mails() == []


def test_a_wrong_code_says_how_many_tries_are_left(anna_client):
    send_address(anna_client)
    response = confirm(anna_client, wrong_code(last_code()))
    assert response.status_code == 400 and "Fel kod. Du har 2 försök kvar." in page(response)
    event = AuditEvent.objects.get(action="email.code_failed")
    assert event.details["reason"] == "code_wrong" and event.details["attempts"] == 1


@pytest.mark.parametrize(
    ("typed", "message", "reason"),
    [
        ("", "Skriv in koden från e-postmeddelandet.", "code_empty"),
        ("12a456", "Koden får bara innehålla siffror.", "code_format"),
        ("12345", "Koden ska vara 6 siffror.", "code_length"),
        ("1" * 40, "Koden ska vara 6 siffror.", "code_length"),
    ],
)
def test_a_malformed_code_gets_a_clear_message_is_no_try_and_is_audited(
    anna_client, typed, message, reason
):
    send_address(anna_client)
    response = confirm(anna_client, typed)
    assert response.status_code == 400 and message in page(response)
    assert MailChallenge.objects.get().attempts == 0
    event = AuditEvent.objects.get(action="email.code_failed")
    assert event.details["reason"] == reason


def test_an_expired_code_asks_for_a_new_one(anna_client):
    send_address(anna_client)
    MailChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = confirm(anna_client, last_code())
    assert "Koden har gått ut. Skicka en ny kod." in page(response)
    assert AuditEvent.objects.get(action="email.code_failed").details["reason"] == "code_expired"
    assert not Enrollment.objects.filter(service="email").exists()


def test_a_used_code_cannot_be_used_again(anna_client, demo_user):
    send_address(anna_client)
    code = last_code()
    challenge_id = MailChallenge.objects.get().pk
    assert confirm(anna_client, code).status_code == 302
    from services.mailcode.codes import CodeError
    from services.mailcode.enroll import confirm_mail_enrollment

    request = type("R", (), {})()
    request.session = anna_client.session
    request.META = {"REMOTE_ADDR": "127.0.0.1"}
    request.user = None
    with pytest.raises(CodeError) as err:
        confirm_mail_enrollment(
            request=request,
            user_guid=demo_user.guid,
            username="anna",
            challenge_id=challenge_id,
            code=code,
        )
    assert err.value.code == "code_used"


def test_sending_again_waits_for_the_cooldown_then_sends_a_new_code(anna_client):
    send_address(anna_client)
    first = last_code()
    response = anna_client.post(reverse("mailcode_confirm"), {"resend": "1"})
    assert response.status_code == 400
    assert "innan du skickar koden igen" in page(response)
    assert len(code_mails()) == 1
    MailChallenge.objects.update(code_sent_at=timezone.now() - timedelta(seconds=61))
    age_throttles(61, scope_prefix="email-cooldown")
    assert anna_client.post(reverse("mailcode_confirm"), {"resend": "1"}).status_code == 302
    assert len(code_mails()) == 2
    assert confirm(anna_client, first).status_code == 400  # the old code is gone
    assert confirm(anna_client, last_code()).status_code == 302


def test_a_mail_server_failure_is_retried_then_said_and_can_be_retried(
    anna_client, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.MAILCODE_SEND_RETRIES = 2
    FailingBackend.tries = 0
    with caplog.at_level(logging.WARNING):
        send_address(anna_client)
    assert FailingBackend.tries == 3  # one try and two retries
    html = page(anna_client.get(reverse("mailcode_confirm")))
    assert "E-postservern svarar inte just nu" in html and "a•••@e•••.org" in html
    event = AuditEvent.objects.get(action="email.send_failed")
    assert event.details == {"display": "a•••@e•••.org", "error": "smtp_451", "permanent": False}
    assert "Traceback" not in caplog.text and "anna.privat" not in caplog.text
    # After a failed send there is no cooldown: the user asks again, and it works.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert anna_client.post(reverse("mailcode_confirm"), {"resend": "1"}).status_code == 302
    assert confirm(anna_client, last_code()).status_code == 302


def test_the_status_endpoint_answers_its_own_session_only(anna_client, client_factory):
    send_address(anna_client)
    challenge = MailChallenge.objects.get()
    url = reverse("mailcode_status", args=[challenge.pk])
    assert anna_client.get(url).json()["state"] == "sent"
    assert client_factory().get(url).status_code == 404


def test_changing_needs_proof_through_another_service_and_tells_the_old_address(
    anna_client, demo_user, settings
):
    settings.IDENTITY_SERVICES = WITH_OTHER
    enrol_mail(demo_user)
    Enrollment.objects.create(user_guid=demo_user.guid, username="anna", service="other")
    response = anna_client.get(reverse("mailcode_enroll"))
    assert response.status_code == 302  # the core's step-up page
    flow_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    session = anna_client.session
    session["proof_flows"][flow_id]["proved"]["other"] = time.time()
    session.save()

    assert "Du har registrerat a•••@e•••.org." in page(anna_client.get(reverse("mailcode_enroll")))
    mail.outbox = []
    send_address(anna_client, "ny.adress@example.net")
    assert confirm(anna_client, last_code()).status_code == 302
    enrollment = Enrollment.objects.get(user_guid=demo_user.guid, service="email")
    assert decrypt(enrollment.protected_value) == "ny.adress@example.net"
    old = [m for m in mail.outbox if m.to == [PRIVATE]]
    assert len(old) == 1 and "E-postkod ändrades på ditt konto" in old[0].body
    assert AuditEvent.objects.get(action="email.notice_sent").details["kind"] == (
        "enrollment.changed"
    )
    assert AuditEvent.objects.filter(action="enrollment.changed").exists()


def test_removing_the_address_is_audited_and_told_to_it(anna_client, demo_user):
    enrol_mail(demo_user)
    html = page(anna_client.get(reverse("mailcode_enroll")))
    assert reverse("mailcode_remove") in html
    assert "Vill du ta bort a•••@e•••.org?" in page(anna_client.get(reverse("mailcode_remove")))
    mail.outbox = []
    response = anna_client.post(reverse("mailcode_remove"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not Enrollment.objects.filter(service="email").exists()
    event = AuditEvent.objects.get(action="enrollment.removed")
    assert event.details == {"service": "email", "reason": "user"}
    removed = [m for m in mail.outbox if m.to == [PRIVATE]]
    assert len(removed) == 1 and "E-postkod togs bort från ditt konto" in removed[0].body
    ad = [m for m in mail.outbox if m.to == ["anna.andersson@demo.local"]]
    assert ad and ad[0].subject == "En identitetstjänst har tagits bort från ditt konto"
