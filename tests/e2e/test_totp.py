"""The authenticator app in the browser: enrolment in Swedish and in English (with
the keyboard only), and a reset that needs two services (the app and Mobilkod).

The test reads the secret off the page and makes the codes with pyotp, as a
user's authenticator app would.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from identity.directory import get_directory
from services.sms.gateways import outbox
from tests.reset.conftest import NEW_PASSWORD, OLD_PASSWORD, enrol_sms
from tests.services.totp.helpers import enrol_through_pages

pytestmark = pytest.mark.django_db(transaction=True)

SERVICES = [
    {"class": "services.sms.service.SmsService", "weight": 1},
    {"class": "services.bankid.service.BankIDService", "weight": 2},
    {"class": "services.totp.service.TotpService", "weight": 1},
]


@pytest.fixture(autouse=True)
def _settings(settings):
    # Explicit stars: the app and Mobilkod are one each, a reset needs two.
    settings.IDENTITY_SERVICES = SERVICES
    settings.ENROLLMENT_STARS_FULL = 2
    settings.RESET_STARS_REQUIRED = 2
    settings.RESET_HISTORY_ITERATIONS = 1000
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()
    yield
    outbox.clear()


def code(app: pyotp.TOTP, steps: int = 0) -> str:
    return app.at(time.time() + 30 * steps)


def log_in(page, a11y, prefix: str = "") -> None:
    page.goto(f"{prefix}/login/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill(OLD_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/$"))


def secret_of(page) -> str:
    return page.locator("#totp-secret").inner_text().replace(" ", "")


def test_enrolling_the_authenticator_app_in_swedish(page, a11y, demo_user):
    log_in(page, a11y)
    expect(page.get_by_role("img", name="0 av 2 stjärnor")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Autentiseringsapp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autentiseringsapp")
    expect(
        page.get_by_role("img", name="QR-kod att skanna med autentiseringsappen")
    ).to_be_visible()
    shown = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", shown)
    app = pyotp.TOTP(secret_of(page))
    a11y(page)

    field = page.get_by_role("textbox", name="Kod från appen")
    field.fill("12 34")
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden ska vara 6 siffror.")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    assert secret_of(page) == app.secret  # the same QR code: nothing to scan again
    a11y(page)

    wrong = "000000" if code(app) != "000000" else "111111"
    page.get_by_role("textbox", name="Kod från appen").fill(wrong)
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel kod.")
    a11y(page)

    right = code(app)
    page.get_by_role("textbox", name="Kod från appen").fill(f"{right[:3]} {right[3:]}")
    page.get_by_role("button", name="Bekräfta").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(
        page.get_by_text("Du har nu lagt till autentiseringsappen för återställning av lösenord!")
    ).to_be_visible()
    expect(page.get_by_role("img", name="1 av 2 stjärnor")).to_be_visible()
    a11y(page)


def test_enrolling_in_english_with_the_keyboard_only(page, a11y, demo_user):
    log_in(page, a11y, prefix="/en")
    a11y(page)

    def tab_to(predicate: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(
                f"(() => {{ const el = document.activeElement; return {predicate}; }})()"
            ):
                return
        pytest.fail(f"Tab never reached {predicate}")

    tab_to("el.tagName === 'A' && el.textContent.trim() === 'Authenticator app'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/totp/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Key to type in")).to_be_visible()
    app = pyotp.TOTP(secret_of(page))
    a11y(page)

    tab_to("el.id === 'id_code'")
    page.keyboard.type("abc123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("The code may only contain digits.")
    a11y(page)

    # After the error the field has the focus or is a few Tabs away.
    tab_to("el.id === 'id_code'")
    page.keyboard.press("Control+A")
    page.keyboard.type(code(app))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(
        page.get_by_text("You have now added the authenticator app for password reset!")
    ).to_be_visible()
    a11y(page)


def enrol_both(user) -> pyotp.TOTP:
    """Mobilkod and the app, the app through its own pages (another browser)."""
    enrol_sms(user)
    client = Client()
    response = client.post(reverse("login"), {"username": "anna", "password": OLD_PASSWORD})
    assert response.status_code == 302
    return enrol_through_pages(client)


def last_sms_code() -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def test_a_reset_that_needs_the_app_and_mobilkod(page, a11y, demo_user):
    app = enrol_both(demo_user)
    page.goto("/reset/")
    a11y(page)
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("img", name="0 av 2 stjärnor")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Identifiera dig med Autentiseringsapp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autentiseringsapp")
    a11y(page)
    page.get_by_role("textbox", name="Kod från appen").fill("12345")
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden ska vara 6 siffror.")
    a11y(page)
    page.get_by_role("textbox", name="Kod från appen").fill(code(app, steps=1))
    page.get_by_role("button", name="Bekräfta").click()

    # One star is not enough: Mobilkod too.
    expect(page.get_by_role("img", name="1 av 2 stjärnor")).to_be_visible()
    expect(page.locator("#proof-done")).to_have_count(0)
    a11y(page)
    page.get_by_role("link", name="Identifiera dig med Mobilkod").click()
    a11y(page)
    page.get_by_role("button", name="Skicka koden").click()
    expect(page.get_by_role("textbox", name="Kod")).to_be_visible()
    a11y(page)
    page.get_by_role("textbox", name="Kod").fill(last_sms_code())
    page.get_by_role("button", name="Bekräfta").click()

    expect(page.get_by_role("img", name="2 av 2 stjärnor")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Välj nytt lösenord").click()
    a11y(page)
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Ditt lösenord är bytt.")).to_be_visible()
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == demo_user.guid


def test_the_proof_page_in_english_explains_a_bad_code(page, a11y, demo_user):
    app = enrol_both(demo_user)
    page.goto("/en/reset/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/reset/[\w-]+/$"))
    a11y(page)
    page.locator('#proof-services li[data-service="totp"] a').click()
    expect(page).to_have_url(re.compile(r"/en/totp/verify/"))
    a11y(page)
    for typed, said in [
        ("1234567", "The code should be 6 digits."),
        (code(app, steps=-5), "That code has expired."),
    ]:
        page.locator("#id_code").fill(typed)
        page.locator("#totp-code-form button[type=submit]").click()
        expect(page.get_by_role("alert")).to_contain_text(said)
        a11y(page)
    right = code(app, steps=1)
    page.locator("#id_code").fill(f"{right[:3]}-{right[3:]}")
    page.locator("#totp-code-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/reset/[\w-]+/$"))
    expect(page.locator('#proof-services li[data-service="totp"]')).to_contain_text("(done)")
    a11y(page)
