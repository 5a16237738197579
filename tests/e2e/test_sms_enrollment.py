"""Mobilkod in the browser: the whole enrollment, in Swedish and in English.

The SMS goes to the LocmemBackend's outbox: the live server runs in this
process, so the test reads the code from there like a user reads the phone.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.sms.gateways import outbox
from services.sms.models import SmsChallenge
from tests.conftest import age_throttles
from tests.services.sms.helpers import last_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _phone(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()
    yield
    outbox.clear()


def log_in(page, a11y, prefix: str = "") -> None:
    page.goto(f"{prefix}/login/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill("Gammal-Hemlis-42")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/$"))


def filled_stars(page):
    return page.locator(".stars .star:not(.empty)")


def send_code(page, number: str) -> None:
    page.locator("#id_number").fill(number)
    page.locator("#sms-enroll-form button[type=submit]").click()


def confirm(page, code: str) -> None:
    page.locator("#id_code").fill(code)
    page.locator("#sms-code-form button[type=submit]").click()


def test_enrolling_mobilkod_in_swedish(page, a11y, demo_user):
    log_in(page, a11y)
    expect(page.get_by_role("img", name="0 av 3 stjärnor")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Mobilkod").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobilkod")
    expect(page.get_by_text("Om du skriver numret på internationellt format")).to_be_visible()
    country, number = page.get_by_label("Land"), page.get_by_label("Mobilnummer")
    expect(country).to_have_value("SE")
    expect(number).to_have_value("+46 70 123 45 12")  # the AD number, as a suggestion
    a11y(page)

    country.select_option("NO")
    number.fill("")
    number.press_sequentially("+4670 765 43 21")
    expect(country).to_have_value("SE")  # picked from the +46 as it was typed
    page.get_by_role("button", name="Skicka koden").click()

    expect(
        page.get_by_text(
            "Koden skickades till +46 70*** **21. Kolla dina sms och skriv in koden nedan."
        )
    ).to_be_visible()
    expect(page.get_by_text("Fyll i koden och tryck på bekräfta")).to_be_visible()
    assert outbox[-1].to == "+46707654321"
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
            "Du har nu registrerat ditt mobiltelefonnummer för återställning av lösenord!"
        )
    ).to_be_visible()
    expect(page.get_by_role("img", name="1 av 3 stjärnor")).to_be_visible()
    a11y(page)


def test_enrolling_mobilkod_in_english(page, a11y, demo_user):
    log_in(page, a11y, prefix="/en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(filled_stars(page)).to_have_count(0)
    a11y(page)

    page.goto("/en/sms/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    a11y(page)
    page.locator("#id_country").select_option("DK")
    page.locator("#id_number").fill("")
    page.locator("#id_number").press_sequentially("0046 70 765 43 21")
    expect(page.locator("#id_country")).to_have_value("SE")
    page.locator("#sms-enroll-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/sms/confirm/$"))
    expect(page.locator("#sms-status")).to_contain_text("+46 70*** **21")
    a11y(page)

    confirm(page, wrong_code(last_code()))
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    a11y(page)
    confirm(page, last_code())
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(filled_stars(page)).to_have_count(1)
    a11y(page)


def test_an_expired_code_and_the_resend_cooldown(page, a11y, demo_user):
    log_in(page, a11y)
    page.goto("/sms/")
    a11y(page)
    send_code(page, "070-765 43 21")
    expect(page.locator("#sms-status")).to_contain_text("+46 70*** **21")
    a11y(page)

    # The wait counts down on the page, and the button says it is not usable yet.
    resend = page.get_by_role("button", name="Skicka koden igen")
    expect(resend).to_have_attribute("aria-disabled", "true")
    first = page.locator("#resend-wait").inner_text()
    expect(page.locator("#resend-wait")).not_to_have_text(first, timeout=3_000)
    expect(page.locator("#resend-wait")).to_contain_text(re.compile(r"om \d+ sekunder"))
    resend.click(force=True)  # pressed anyway (or without JavaScript): the server says wait
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"Vänta \d+ sekunder innan du skickar koden igen\.")
    )
    assert len(outbox) == 1
    a11y(page)

    SmsChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    confirm(page, last_code())
    expect(page.get_by_role("alert")).to_contain_text("Koden har gått ut. Skicka en ny kod.")
    a11y(page)

    SmsChallenge.objects.update(code_sent_at=timezone.now() - timedelta(seconds=61))
    age_throttles(61)  # the durable resend cooldown (identity.throttle) too
    # The page still counts the old wait: the server's clock has moved on.
    page.get_by_role("button", name="Skicka koden igen").click(force=True)
    expect(page.get_by_text("En ny kod är på väg.")).to_be_visible()
    assert len(outbox) == 2
    a11y(page)
    confirm(page, last_code())
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("img", name="1 av 3 stjärnor")).to_be_visible()
    a11y(page)
