"""Passkeys in the browser, in Swedish and English: Chromium's virtual
authenticator (DevTools ``WebAuthn``) makes real keys and real answers.

Two keys are registered and named, a reset needs two services (passkey 2
stars + Mobilkod 1, threshold 3, set here), a removed key no longer proves
anything, a browser without WebAuthn is told so, and everything is done with
the keyboard alone in English. axe checks every page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from identity.directory import get_directory
from services.passkey.models import PasskeyCredential
from services.sms.gateways import outbox
from tests.reset.conftest import NEW_PASSWORD, OLD_PASSWORD
from tests.services.passkey.authenticator import Authenticator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _services(settings, live_server):
    settings.IDENTITY_SERVICES = [
        {"class": "services.passkey.service.PasskeyService", "weight": 2},
        {"class": "services.sms.service.SmsService", "weight": 1},
    ]
    settings.ENROLLMENT_STARS_FULL = 3
    settings.RESET_STARS_REQUIRED = 3  # neither service alone
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = [live_server.url]
    settings.WEBAUTHN_CHALLENGE_SECONDS = 30
    settings.SMS_RESEND_COOLDOWN = 0  # one number gets three codes in a minute here
    outbox.clear()
    yield
    outbox.clear()


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def log_in(page, a11y, *, prefix: str = "", password: str = OLD_PASSWORD) -> None:
    page.goto(f"{prefix}/login/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/$"))
    a11y(page)


def log_out(page, a11y) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    a11y(page)


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def add_key(page, a11y, name: str) -> None:
    page.locator("#passkey-name").fill(name)
    page.get_by_role("button", name="Lägg till passkey eller säkerhetsnyckel").click()
    expect(page.get_by_text(f"Du har nu registrerat {name} för återställning")).to_be_visible()
    a11y(page)


def enrol_sms(page, a11y) -> None:
    page.goto("/sms/")
    a11y(page)
    page.locator("#id_number").fill("+46 70 765 43 21")
    page.locator("#sms-enroll-form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    a11y(page)
    page.locator("#id_code").fill(last_code())
    page.locator("#sms-code-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    a11y(page)


def prove_sms(page, a11y) -> None:
    a11y(page)
    page.locator("#sms-send-form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    a11y(page)
    page.locator("#id_code").fill(last_code())
    page.locator("#sms-code-form button[type=submit]").click()


def test_two_keys_a_reset_with_two_services_and_a_removed_key_in_swedish(page, a11y, demo_user):
    log_in(page, a11y)
    a11y(page)
    phone = Authenticator(page)  # the computer's own (a passkey)
    page.get_by_role("link", name="Passkey eller säkerhetsnyckel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkey eller säkerhetsnyckel")
    expect(page.locator("#passkey-none")).to_have_text("Du har inte registrerat någon nyckel ännu.")
    a11y(page)
    add_key(page, a11y, "Jobbdatorn")

    yubikey = Authenticator(page, transport="usb")  # a security key
    page.goto("/passkey/")
    a11y(page)
    page.get_by_role("button", name="Lägg till passkey eller säkerhetsnyckel").click()
    expect(
        page.get_by_text(re.compile(r"Du har nu registrerat Säkerhetsnyckel 20"))
    ).to_be_visible()
    a11y(page)

    # Name the second key.
    page.goto("/passkey/")
    second = page.locator("#passkey-keys li").nth(1)
    second.locator("summary").click()
    second.get_by_label("Nytt namn").fill("Blå YubiKey")
    second.get_by_role("button", name="Spara namnet").click()
    expect(page.get_by_text("Nyckeln heter nu Blå YubiKey.")).to_be_visible()
    expect(page.locator("#passkey-keys .key-name")).to_have_text(["Jobbdatorn", "Blå YubiKey"])
    a11y(page)
    assert len(phone.credentials()) == 1 and len(yubikey.credentials()) == 1

    enrol_sms(page, a11y)
    log_out(page, a11y)

    # A reset that needs both services.
    page.goto("/reset/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reset/[\w-]+/$"))
    a11y(page)
    page.locator('#proof-services li[data-service="passkey"] a').click()
    expect(page).to_have_url(re.compile(r"/passkey/verify/"))
    a11y(page)
    page.get_by_role("button", name="Använd passkey eller säkerhetsnyckel").click()
    expect(page).to_have_url(re.compile(r"/reset/[\w-]+/$"))
    expect(page.locator("#proof-done")).to_have_count(0)  # 2 of 3 stars: not yet
    a11y(page)
    page.locator('#proof-services li[data-service="sms"] a').click()
    a11y(page)
    prove_sms(page, a11y)
    expect(page.locator("#proof-done")).to_be_visible()
    a11y(page)
    page.locator("#proof-done a.button").click()
    expect(page).to_have_url(re.compile(r"/password/$"))
    a11y(page)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_confirm_password").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reset/done/$"))
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD) is not None

    # Remove the security key: changing a service needs a proof (Mobilkod).
    log_in(page, a11y, password=NEW_PASSWORD)
    page.goto("/passkey/")
    expect(page).to_have_url(re.compile(r"/sms/verify/"))
    expect(page.locator("#step-up-reason")).to_have_count(0)
    a11y(page)
    prove_sms(page, a11y)
    expect(page).to_have_url(re.compile(r"/passkey/$"))
    a11y(page)
    page.get_by_role("link", name="Ta bort Blå YubiKey").click()
    expect(page.get_by_text("Vill du ta bort Blå YubiKey?")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Ta bort nyckeln").click()
    expect(page.get_by_text("Nyckeln Blå YubiKey är borttagen.")).to_be_visible()
    a11y(page)
    assert list(PasskeyCredential.objects.values_list("name", flat=True)) == ["Jobbdatorn"]
    log_out(page, a11y)

    # Only the removed key at hand: the browser finds no key of the account
    # and gives up when the options' timeout (WEBAUTHN_CHALLENGE_SECONDS) ends.
    phone.remove()
    page.goto("/reset/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reset/[\w-]+/$"))
    a11y(page)
    page.locator('#proof-services li[data-service="passkey"] a').click()
    expect(page).to_have_url(re.compile(r"/passkey/verify/"))
    a11y(page)
    page.get_by_role("button", name="Använd passkey eller säkerhetsnyckel").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Inloggningen med passkey avbröts, tog för lång tid, eller så hittades ingen nyckel",
        timeout=60_000,
    )
    a11y(page)


def test_keyboard_only_in_english(page, a11y, demo_user):
    Authenticator(page)
    log_in(page, a11y, prefix="/en")
    page.goto("/en/passkey/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkey or security key")
    a11y(page)
    tab_to(page, "#passkey-name")
    page.keyboard.type("Work laptop")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("You have now registered Work laptop for password reset!")
    ).to_be_visible()
    a11y(page)

    page.goto("/en/passkey/")
    tab_to(page, "#passkey-keys summary")
    page.keyboard.press("Enter")
    tab_to(page, "#passkey-keys input[name=name]")
    page.keyboard.press("Control+A")
    page.keyboard.type("My laptop")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The key is now called My laptop.")).to_be_visible()
    a11y(page)

    page.goto("/en/unlock/")
    a11y(page)
    tab_to(page, "#id_username")
    page.keyboard.type("anna")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/unlock/[\w-]+/$"))
    a11y(page)
    tab_to(page, '#proof-services li[data-service="passkey"] a')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/passkey/verify/"))
    expect(page.get_by_text("Use a passkey or security key you have registered")).to_be_visible()
    a11y(page)
    tab_to(page, "#passkey-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/unlock/[\w-]+/$"))
    expect(page.locator('#proof-services li[data-service="passkey"]')).to_contain_text("(done)")
    a11y(page)


def test_a_browser_without_webauthn_is_told_and_offered_other_services(page, a11y, demo_user):
    page.add_init_script("delete window.PublicKeyCredential;")
    page.goto("/en/reset/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/reset/[\w-]+/$"))
    a11y(page)
    page.locator('#proof-services li[data-service="passkey"] a').click()
    notice = page.locator("#passkey-unsupported")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Your browser cannot use passkeys or security keys.")
    a11y(page)
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page.get_by_role("alert")).to_contain_text("Your browser cannot use passkeys")
    a11y(page)
    page.get_by_role("link", name="Choose another identity service").click()
    expect(page).to_have_url(re.compile(r"/en/reset/[\w-]+/$"))
    a11y(page)
