"""E-postkod in the browser, in Swedish and in English: enrolling a private
address (and refusing the organisation's own), removing it, and a reset that
needs two services (E-postkod and Mobilkod, weights and threshold set here).

The mail goes to Django's locmem outbox and the SMS to the LocmemBackend's:
the live server runs in this process, so the test reads the codes from there
as a user reads the inbox and the phone.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from identity.directory import get_directory
from services.sms.gateways import outbox as sms_outbox
from tests.reset.conftest import NEW_PASSWORD, enrol_sms
from tests.services.mailcode.helpers import enrol_mail, last_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)
SERVICES = [
    {"class": "services.sms.service.SmsService", "weight": 1},
    {"class": "services.bankid.service.BankIDService", "weight": 2},
    {"class": "services.mailcode.service.MailCodeService", "weight": 1},
]


@pytest.fixture(autouse=True)
def _two_stars_to_reset(settings):
    """Explicit weights and thresholds, whatever the defaults are: a reset
    needs two stars, so E-postkod (1) alone is not enough."""
    settings.IDENTITY_SERVICES = SERVICES
    settings.ENROLLMENT_STARS_FULL = 2
    settings.RESET_STARS_REQUIRED = 2
    settings.RESET_HISTORY_ITERATIONS = 1000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    mail.outbox = []
    sms_outbox.clear()
    yield
    sms_outbox.clear()


def log_in(page, a11y, prefix: str = "") -> None:
    page.goto(f"{prefix}/login/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill("Gammal-Hemlis-42")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/$"))


def type_address(page, address: str) -> None:
    page.locator("#id_address").fill(address)
    page.locator("#mailcode-enroll-form button[type=submit]").click()


def type_code(page, code: str) -> None:
    page.locator("#id_code").fill(code)
    page.locator("#mailcode-code-form button[type=submit]").click()


def test_enrolling_e_postkod_in_swedish(page, a11y, demo_user):
    log_in(page, a11y)
    expect(page.get_by_role("img", name="0 av 2 stjärnor")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="E-postkod").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-postkod")
    expect(page.get_by_text("Inte din jobbadress")).to_be_visible()
    a11y(page)

    # The work address is refused, and the page says why.
    page.get_by_label("Privat e-postadress").fill("anna.andersson@demo.local")
    page.get_by_role("button", name="Skicka koden").click()
    expect(page.locator("#id_address-error")).to_contain_text(
        "Adresser på demo.local går till organisationens egen e-post"
    )
    expect(page.locator("#id_address")).to_have_attribute("aria-invalid", "true")
    assert mail.outbox == []
    a11y(page)

    page.get_by_label("Privat e-postadress").fill("anna.privat@example.org")
    page.get_by_role("button", name="Skicka koden").click()
    expect(page).to_have_url(re.compile(r"/email/confirm/$"))
    expect(page.locator("#mailcode-status")).to_contain_text("Koden skickades till a•••@e•••.org.")
    assert mail.outbox[-1].to == ["anna.privat@example.org"]
    a11y(page)

    page.get_by_label("Kod", exact=True).fill(wrong_code(last_code()))
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel kod. Du har 2 försök kvar.")
    a11y(page)

    page.get_by_label("Kod", exact=True).fill(last_code())
    page.get_by_role("button", name="Bekräfta").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(
        page.get_by_text(
            "Du har nu registrerat din privata e-postadress för återställning av lösenord!"
        )
    ).to_be_visible()
    expect(page.get_by_role("img", name="1 av 2 stjärnor")).to_be_visible()
    a11y(page)


def test_enrolling_and_removing_e_postkod_in_english(page, a11y, demo_user):
    log_in(page, a11y, prefix="/en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    a11y(page)
    page.goto("/en/email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail code")
    a11y(page)
    type_address(page, "not-an-address")
    expect(page.locator("#id_address-error")).to_contain_text("This is not a valid e-mail address.")
    a11y(page)
    type_address(page, "anna.privat@example.org")
    expect(page).to_have_url(re.compile(r"/en/email/confirm/$"))
    expect(page.locator("#mailcode-status")).to_contain_text("The code was sent to a•••@e•••.org.")
    assert "Your code is:" in mail.outbox[-1].alternatives[0][0]
    assert mail.outbox[-1].subject == "Your code for Självserviceportalen"
    a11y(page)
    type_code(page, "12")
    expect(page.locator("#id_code-error")).to_contain_text("The code should be 6 digits.")
    a11y(page)
    type_code(page, last_code())
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator(".stars .star:not(.empty)")).to_have_count(1)
    a11y(page)

    page.goto("/en/email/")
    expect(page.locator("#mailcode-current")).to_contain_text("a•••@e•••.org")
    a11y(page)
    page.get_by_role("link", name="Remove my private e-mail address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove E-mail code")
    a11y(page)
    page.get_by_role("button", name="Remove").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.get_by_text("Your private e-mail address has been removed.")).to_be_visible()
    expect(page.locator(".stars .star:not(.empty)")).to_have_count(0)
    removed = [m for m in mail.outbox if m.to == ["anna.privat@example.org"]][-1]
    assert "E-mail code was removed from your account" in removed.body
    a11y(page)


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        (
            "",
            {"one": "1 av 2 stjärnor", "two": "2 av 2 stjärnor", "done": "Ditt lösenord är bytt."},
        ),
        ("/en", {"one": "1 of 2 stars", "two": "2 of 2 stars", "done": "Your password has been"}),
    ],
)
def test_a_reset_needs_both_e_postkod_and_mobilkod(page, a11y, demo_user, prefix, texts):
    enrol_mail(demo_user)
    enrol_sms(demo_user)
    page.goto(f"{prefix}/reset/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/reset/[\w-]+/$"))
    a11y(page)

    page.locator('#proof-services li[data-service="email"] a').click()
    expect(page).to_have_url(re.compile(rf"{prefix}/email/verify/"))
    expect(page.get_by_text("a•••@e•••.org")).to_be_visible()
    a11y(page)
    page.locator("#mailcode-send-form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    a11y(page)
    type_code(page, last_code())
    expect(page).to_have_url(re.compile(rf"{prefix}/reset/[\w-]+/$"))
    expect(page.get_by_role("img", name=texts["one"])).to_be_visible()
    expect(page.locator("#proof-done")).to_have_count(0)  # one service is not enough
    a11y(page)

    page.locator('#proof-services li[data-service="sms"] a').click()
    expect(page).to_have_url(re.compile(rf"{prefix}/sms/verify/"))
    a11y(page)
    page.locator("#sms-send-form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    a11y(page)
    sms_code = re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)
    page.locator("#id_code").fill(sms_code)
    page.locator("#sms-code-form button[type=submit]").click()
    expect(page.get_by_role("img", name=texts["two"])).to_be_visible()
    expect(page.locator("#proof-done")).to_be_visible()
    a11y(page)

    page.locator("#proof-done a.button").click()
    expect(page).to_have_url(re.compile(r"/password/$"))
    a11y(page)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_confirm_password").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#done-message")).to_contain_text(texts["done"])
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == demo_user.guid
