"""Nytt lösenord in the browser: reset via Mobilkod in Swedish and English,
the live password checklist, and unlock.

The SMS goes to the LocmemBackend's outbox: the live server runs in this
process, so the test reads the code from there like a user reads the phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from identity.directory import get_directory
from services.sms.gateways import outbox
from tests.reset.conftest import NEW_PASSWORD, OLD_PASSWORD, enrol_sms, lock_demo_account

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _phone(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()
    yield
    outbox.clear()


@pytest.fixture
def enrolled(demo_user, settings):
    # These walk the pages with Mobilkod alone: one SMS star resets here. The
    # defaults (2 stars: BankID, or Mobilkod and another service) are walked
    # in the browser by test_bankid_enrollment.py's reset with the simulator.
    settings.RESET_STARS_REQUIRED = 1
    settings.ENROLLMENT_STARS_FULL = 2
    enrol_sms(demo_user)
    return demo_user


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def start(page, a11y, *, prefix: str = "", purpose: str = "reset", username: str = "anna"):
    page.goto(f"{prefix}/{purpose}/")
    a11y(page)
    page.locator("#id_username").fill(username)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/{purpose}/[\w-]+/$"))
    a11y(page)


def prove_with_sms(page, a11y, *, prefix: str = "", purpose: str = "reset") -> None:
    """From the proof page: Mobilkod, send the code, type it, back with a full star row."""
    page.locator('#proof-services li[data-service="sms"] a').click()
    expect(page).to_have_url(re.compile(rf"{prefix}/sms/verify/"))
    a11y(page)
    page.locator("#sms-send-form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    a11y(page)
    page.locator("#id_code").fill(last_code())
    page.locator("#sms-code-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{prefix}/{purpose}/[\w-]+/$"))
    expect(page.locator("#proof-done")).to_be_visible()
    a11y(page)


def choose_password(page, a11y, password: str) -> None:
    page.locator("#proof-done a.button").click()
    expect(page).to_have_url(re.compile(r"/password/$"))
    a11y(page)
    page.locator("#id_new_password").fill(password)
    page.locator("#id_confirm_password").fill(password)
    page.locator("main form button[type=submit]").click()


def test_resetting_a_forgotten_password_with_mobilkod_in_swedish(page, a11y, enrolled):
    page.goto("/login/")
    a11y(page)
    page.get_by_role("link", name="Nytt lösenord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt lösenord")
    a11y(page)
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_role("button", name="Fortsätt").click()

    expect(page.get_by_role("img", name="0 av 1 stjärnor")).to_be_visible()
    expect(
        page.get_by_text("Använd identitetstjänsterna nedan för att identifiera dig")
    ).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Identifiera dig med Mobilkod").click()
    a11y(page)
    page.get_by_role("button", name="Skicka koden").click()
    expect(page.get_by_role("textbox", name="Kod")).to_be_visible()
    a11y(page)
    page.get_by_role("textbox", name="Kod").fill(last_code())
    page.get_by_role("button", name="Bekräfta").click()

    expect(page.get_by_role("img", name="1 av 1 stjärnor")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Välj nytt lösenord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj nytt lösenord")
    a11y(page)
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()

    expect(page.get_by_text("Ditt lösenord är bytt.")).to_be_visible()
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == enrolled.guid


def test_resetting_with_mobilkod_in_english(page, a11y, enrolled):
    start(page, a11y, prefix="/en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    prove_with_sms(page, a11y, prefix="/en")
    choose_password(page, a11y, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/reset/done/$"))
    expect(page.locator("#done-message")).to_be_visible()
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == enrolled.guid


def rule_state(page, code: str):
    return page.locator(f'.password-rules li[data-rule="{code}"]')


def test_the_checklist_ticks_rules_off_while_typing(page, a11y, enrolled):
    start(page, a11y)
    prove_with_sms(page, a11y)
    page.locator("#proof-done a.button").click()
    a11y(page)
    password = page.locator("#id_new_password")
    password.press_sequentially("kaffe")
    expect(rule_state(page, "min_length")).to_have_attribute("data-state", "unmet")
    expect(rule_state(page, "complexity")).to_have_attribute("data-state", "unmet")
    password.press_sequentially("-Bulle-7")
    expect(rule_state(page, "min_length")).to_have_attribute("data-state", "met")
    expect(rule_state(page, "complexity")).to_have_attribute("data-state", "met")
    expect(rule_state(page, "breached")).to_have_attribute("data-state", "server")
    password.press_sequentially("-Anna")
    expect(rule_state(page, "name")).to_have_attribute("data-state", "unmet")
    page.locator("#id_confirm_password").fill("kaffe-Bulle-7-Anna")
    expect(rule_state(page, "match")).to_have_attribute("data-state", "met")
    a11y(page)


def test_a_refused_password_can_be_tried_again_in_the_same_flow(page, a11y, enrolled):
    start(page, a11y)
    prove_with_sms(page, a11y)
    choose_password(page, a11y, OLD_PASSWORD)
    expect(page.get_by_role("alert").first).to_contain_text("Du har använt det här lösenordet")
    a11y(page)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_confirm_password").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("Ditt lösenord är bytt.")).to_be_visible()
    a11y(page)


def test_unlocking_a_locked_account_with_mobilkod(page, a11y, enrolled):
    lock_demo_account(enrolled)
    start(page, a11y, purpose="unlock")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lås upp konto")
    prove_with_sms(page, a11y, purpose="unlock")
    page.get_by_role("button", name="Lås upp kontot").click()
    expect(page.get_by_text("Ditt konto är upplåst.")).to_be_visible()
    a11y(page)
    assert get_directory().authenticate("anna", OLD_PASSWORD).guid == enrolled.guid
