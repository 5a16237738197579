"""Ways forward, in a phone-sized and a desktop-sized window, in Swedish and
English: the language round trip, login error -> forgot -> reset, the password
page after a rejected attempt, Back after the final step, the error pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from identity.directory import get_directory
from services.sms.gateways import outbox
from tests.reset.conftest import NEW_PASSWORD, OLD_PASSWORD, enrol_sms

from .test_reset import prove_with_sms

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _phone(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    outbox.clear()
    yield
    outbox.clear()


@pytest.fixture
def enrolled(demo_user, settings):
    # A walk with Mobilkod alone: one SMS star resets here (the defaults need
    # 2; test_bankid_enrollment.py resets on them in the browser).
    settings.RESET_STARS_REQUIRED = 1
    settings.ENROLLMENT_STARS_FULL = 2
    enrol_sms(demo_user)
    return demo_user


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_language_round_trip_keeps_the_page(page, a11y, viewport):
    page.set_viewport_size(viewport)
    page.goto("/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt lösenord")
    a11y(page)
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/reset/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New password")
    a11y(page)
    page.get_by_role("button", name="Svenska").click()
    expect(page).to_have_url(re.compile(r"/reset/$"))
    assert "/en/" not in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt lösenord")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    a11y(page)


@pytest.mark.parametrize(
    ("viewport", "prefix", "texts"),
    [
        (
            PHONE,
            "",
            {
                "login": "Logga in",
                "forgot": "Glömt lösenordet? Välj Nytt lösenord",
                "wrong": "Fel konto? Börja om",
                "refused": "Du har använt det här lösenordet",
                "done": "Ditt lösenord är bytt.",
                "save": "Spara lösenordet",
                "step": "Steg 2 av 3:",
            },
        ),
        (
            DESKTOP,
            "/en",
            {
                "login": "Log in",
                "forgot": "Forgot your password? Choose New password",
                "wrong": "Wrong account? Start over",
                "refused": "You have used this password",
                "done": "Your password has been changed.",
                "save": "Save the password",
                "step": "Step 2 of 3:",
            },
        ),
    ],
    ids=["sv-390", "en-1280"],
)
def test_from_a_login_error_to_a_new_password_and_back_is_safe(
    page,
    a11y,
    enrolled,
    viewport,
    prefix,
    texts,
):
    page.set_viewport_size(viewport)
    page.goto(f"{prefix}/login/")
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill("inte-rätt")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name=texts["forgot"]).click()
    expect(page).to_have_url(re.compile(rf"{prefix}/reset/$"))
    a11y(page)
    # A typo first: the proof page names the typed account and offers to start over.
    page.locator("#id_username").fill("annna")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-name")).to_have_text("annna")
    expect(page.locator(".steps")).to_contain_text(texts["step"])
    a11y(page)
    page.get_by_role("link", name=texts["wrong"]).click()
    expect(page).to_have_url(re.compile(rf"{prefix}/reset/$"))
    a11y(page)
    # A 10 kB name (the field keeps its first 256 characters): the page stays narrow.
    page.locator("#id_username").fill("a" * 10_000)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-name")).to_be_visible()
    no_sideways_scroll(page)
    a11y(page)
    page.get_by_role("link", name=texts["wrong"]).click()
    expect(page).to_have_url(re.compile(rf"{prefix}/reset/$"))
    a11y(page)
    page.locator("#id_username").fill("anna")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-name")).to_have_text("anna")
    a11y(page)
    prove_with_sms(page, a11y, prefix=prefix)
    page.locator("#proof-done a.button").click()
    a11y(page)

    # A rejected password: the red error is about the password sent; once the
    # user types a new one, the checklist speaks and the old error goes.
    page.locator("#id_new_password").fill(OLD_PASSWORD)
    page.locator("#id_confirm_password").fill(OLD_PASSWORD)
    page.get_by_role("button", name=texts["save"]).click()
    error = page.locator("main [role=alert]").first
    expect(error).to_contain_text(texts["refused"])
    a11y(page)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    expect(error).to_be_hidden()
    expect(page.locator('li[data-rule="min_length"]')).to_have_attribute("data-state", "met")
    page.locator("#id_confirm_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name=texts["save"]).click()
    expect(page.locator("#done-message")).to_contain_text(texts["done"])
    no_sideways_scroll(page)
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == enrolled.guid

    # Back: the rejected attempt's page was a POST; it must not ask to send
    # the form again, and nothing is written twice.
    page.go_back()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main a.button")).to_be_visible()  # a way forward
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == enrolled.guid


@pytest.mark.parametrize(
    ("viewport", "prefix", "texts"),
    [
        (
            PHONE,
            "",
            {
                "404": "Sidan finns inte",
                "403": "Sidan hade gått ut",
                "500": "Något gick fel",
                "switch": "English",
            },
        ),
        (
            DESKTOP,
            "/en",
            {
                "404": "Page not found",
                "403": "The page had expired",
                "500": "Something went wrong",
                "switch": "Svenska",
            },
        ),
    ],
    ids=["sv-390", "en-1280"],
)
def test_the_error_pages_are_the_portals_own(page, a11y, settings, viewport, prefix, texts):
    settings.BRAND_SUPPORT_PHONE = "08-123 45 67"
    settings.ROOT_URLCONF = "tests.portal.boom_urls"
    page.set_viewport_size(viewport)

    page.goto(f"{prefix}/finns-inte/")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["404"])
    expect(page.get_by_role("button", name=texts["switch"])).to_be_visible()
    expect(page.get_by_role("link", name="08-123 45 67").first).to_be_visible()
    a11y(page)

    page.goto(f"{prefix}/login/")
    a11y(page)
    page.context.clear_cookies()  # the form's CSRF cookie is gone, as after a long pause
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill("whatever")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["403"])
    a11y(page)

    page.goto(f"{prefix}/boom/")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["500"])
    a11y(page)
    page.locator("main .ways-forward a").first.click()
    expect(page.locator("main h1")).to_be_visible()
    a11y(page)
