"""Adding, changing and removing the authenticator app (logged in, fresh login)."""

from __future__ import annotations

import re
from binascii import unhexlify
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from enrollment.crypto import decrypt
from enrollment.models import Enrollment
from services.totp.models import TotpKey
from tests.reset.conftest import enrol_sms

from .helpers import code, flow_in, secret_on, start_flow, uri_on, verify_url

pytestmark = pytest.mark.django_db


def enrol_page(client) -> str:
    response = client.get(reverse("totp_enroll"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_a_qr_code_and_the_secret_in_groups_of_four(anna_client):
    page = enrol_page(anna_client)
    assert re.search(
        r'<svg role="img" aria-label="QR-kod att skanna med autentiseringsappen"', page
    )
    assert "<script" not in page.split('id="totp-qr"')[1].split("</div>")[0]
    shown = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    groups = shown.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)  # 160 bits in base32

    uri = urlparse(uri_on(page))
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == "/Exempel AB:anna"
    query = parse_qs(uri.query)
    assert query["issuer"] == ["Exempel AB"] and query["secret"] == [secret_on(page)]
    assert (query["digits"], query["period"], query["algorithm"]) == (["6"], ["30"], ["SHA1"])
    # The oracle reads the same URI.
    parsed = pyotp.parse_uri(uri_on(page))
    assert parsed.issuer == "Exempel AB" and parsed.name == "anna"


def test_reloading_the_page_shows_the_same_secret_until_it_is_confirmed(anna_client):
    assert secret_on(enrol_page(anna_client)) == secret_on(enrol_page(anna_client))


def test_one_code_from_the_app_confirms_it(
    anna_client, demo_user, django_capture_on_commit_callbacks
):
    app = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    with django_capture_on_commit_callbacks(execute=True):
        response = anna_client.post(reverse("totp_enroll"), {"code": code(app)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    enrollment = Enrollment.objects.get(user_guid=demo_user.guid, service="totp")
    assert enrollment.protected_value == ""  # the secret is not in the core's row
    device = TOTPDevice.objects.get(user__directory_guid=demo_user.guid)
    assert device.confirmed
    home = anna_client.get(reverse("home")).content.decode()
    assert "Du har nu lagt till autentiseringsappen för återställning av lösenord!" in home
    assert AuditEvent.objects.filter(action="totp.enrolled", result="success").exists()
    assert AuditEvent.objects.filter(action="enrollment.created").exists()
    # The core's notice: an e-mail to the AD address.
    assert [m.to for m in mail.outbox] == [["anna.andersson@demo.local"]]
    assert "Autentiseringsapp registrerades på ditt konto" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12a456", "Koden får bara innehålla siffror."),
        ("12345", "Koden ska vara 6 siffror."),
        ("1234567", "Koden ska vara 6 siffror."),
        ("", "Skriv in koden från autentiseringsappen."),
    ],
)
def test_a_malformed_code_says_what_is_wrong_and_can_be_retried(anna_client, typed, message):
    app = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    response = anna_client.post(reverse("totp_enroll"), {"code": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    event = AuditEvent.objects.get(action="totp.code_failed")
    assert event.details["purpose"] == "enroll" and event.details["compared"] is False
    assert not Enrollment.objects.filter(service="totp").exists()
    # The same QR code is still shown; the right code works next.
    assert anna_client.post(reverse("totp_enroll"), {"code": code(app)}).status_code == 302


@pytest.mark.parametrize("spelling", ["{a} {b}", "{a}-{b}", " {a} {b} "])
def test_spaces_and_dashes_as_apps_show_them_are_accepted(anna_client, spelling):
    app = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    right = code(app)
    typed = spelling.format(a=right[:3], b=right[3:])
    assert anna_client.post(reverse("totp_enroll"), {"code": typed}).status_code == 302


def test_a_wrong_code_is_refused_and_audited(anna_client):
    app = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    wrong = f"{(int(code(app)) + 1) % 10**6:06d}"
    response = anna_client.post(reverse("totp_enroll"), {"code": wrong})
    assert response.status_code == 400
    assert "Fel kod. Skriv in koden som autentiseringsappen visar just nu" in (
        response.content.decode()
    )
    event = AuditEvent.objects.get(action="totp.code_failed")
    assert (event.details["reason"], event.details["compared"]) == ("code_wrong", True)
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_an_unconfirmed_app_proves_nothing(anna_client, client_factory, demo_user):
    app = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    other = client_factory()
    flow = start_flow(other, user_guid=demo_user.guid, username="anna")
    response = other.post(verify_url(flow), {"code": code(app)})
    assert response.status_code == 400
    assert flow_in(other, flow.id).proved == {}


def test_the_secret_is_sealed_at_rest(anna_app, demo_user):
    device = TOTPDevice.objects.get(user__directory_guid=demo_user.guid)
    real = unhexlify(decrypt(TotpKey.objects.get(device=device).sealed))
    assert pyotp.TOTP(anna_app.secret).byte_secret() == real
    # django-otp's key column holds a random key that makes other codes.
    assert unhexlify(device.key) != real
    for table_value in (device.key, TotpKey.objects.get(device=device).sealed):
        assert real.hex() not in table_value and anna_app.secret not in table_value


def test_a_new_app_replaces_the_old_only_once_it_is_confirmed(
    anna_client, anna_app, demo_user, client_factory
):
    page = enrol_page(anna_client)
    assert "Du har redan lagt till en autentiseringsapp (Autentiseringsapp, tillagd" in page
    new_app = pyotp.TOTP(secret_on(page))
    assert new_app.secret != anna_app.secret
    # Not confirmed yet: the old app still proves, the new one not.
    other = client_factory()
    flow = start_flow(other, user_guid=demo_user.guid, username="anna")
    assert other.post(verify_url(flow), {"code": code(new_app)}).status_code == 400
    assert other.post(verify_url(flow), {"code": code(anna_app, steps=1)}).status_code == 302

    assert anna_client.post(reverse("totp_enroll"), {"code": code(new_app)}).status_code == 302
    assert TOTPDevice.objects.filter(user__directory_guid=demo_user.guid).count() == 1
    assert AuditEvent.objects.filter(action="enrollment.changed").exists()
    third = client_factory()
    flow = start_flow(third, user_guid=demo_user.guid, username="anna")
    assert third.post(verify_url(flow), {"code": code(anna_app, steps=1)}).status_code == 400
    assert third.post(verify_url(flow), {"code": code(new_app, steps=1)}).status_code == 302


def test_changing_it_when_another_service_is_enrolled_needs_a_step_up(
    anna_client, anna_app, demo_user
):
    enrol_sms(demo_user)
    response = anna_client.get(reverse("totp_enroll"))
    assert response.status_code == 302 and "/sms/verify/" in response["Location"]
    response = anna_client.get(reverse("totp_remove"))
    assert response.status_code == 302 and "/sms/verify/" in response["Location"]


def test_enrolling_needs_a_fresh_login(client, demo_user):
    response = client.get(reverse("totp_enroll"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_removing_it_takes_the_device_and_tells_the_user(
    anna_client, anna_app, demo_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    page = anna_client.get(reverse("totp_remove")).content.decode()
    assert "Autentiseringsapp, tillagd" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = anna_client.post(reverse("totp_remove"))
    assert response.status_code == 302
    assert not Enrollment.objects.filter(service="totp").exists()
    assert not TOTPDevice.objects.exists() and not TotpKey.objects.exists()
    assert AuditEvent.objects.filter(action="enrollment.removed").exists()
    assert AuditEvent.objects.filter(action="totp.removed", result="success").exists()
    assert mail.outbox[-1].subject == "En identitetstjänst har tagits bort från ditt konto"
    assert "Autentiseringsapp togs bort från ditt konto" in mail.outbox[-1].body


def test_a_removal_anywhere_takes_the_device_with_it(anna_app, demo_user):
    from enrollment.services import remove_enrollment

    enrollment = Enrollment.objects.get(service="totp")
    remove_enrollment(request=None, enrollment=enrollment, reason="helpdesk")
    assert not TOTPDevice.objects.exists() and not TotpKey.objects.exists()


def test_rotate_keys_moves_the_secret_to_the_newest_key(
    anna_app, demo_user, settings, client_factory
):
    from django.core.management import call_command

    from enrollment.crypto import is_current

    settings.FIELD_ENCRYPTION_KEY = "a-new-key-of-its-own," + (settings.FIELD_ENCRYPTION_KEY or "")
    sealed = TotpKey.objects.get()
    assert not is_current(sealed.sealed)
    call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert is_current(TotpKey.objects.get().sealed)
    other = client_factory()
    flow = start_flow(other, user_guid=demo_user.guid, username="anna")
    assert other.post(verify_url(flow), {"code": code(anna_app, steps=1)}).status_code == 302


def test_a_qr_code_replaced_in_another_session_says_to_scan_the_new_one(
    anna_client, login, client_factory
):
    old = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    other = login(c=client_factory())
    new = pyotp.TOTP(secret_on(enrol_page(other)))
    response = anna_client.post(reverse("totp_enroll"), {"code": code(old)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "QR-koden gäller inte längre. Lägg till den nya QR-koden nedan i appen" in page
    assert secret_on(page) not in (old.secret, new.secret)
    event = AuditEvent.objects.get(action="totp.code_failed")
    assert event.details["reason"] == "enroll_expired"


def test_a_qr_code_left_too_long_is_replaced(anna_client, settings):
    settings.TOTP_ENROLL_SECONDS = 60
    old = pyotp.TOTP(secret_on(enrol_page(anna_client)))
    session = anna_client.session
    session["totp_pending_device"]["at"] -= 120
    session.save()
    response = anna_client.post(reverse("totp_enroll"), {"code": code(old)})
    assert "QR-koden gäller inte längre." in response.content.decode()
