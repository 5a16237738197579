"""A person enrols Mobilt BankID in the browser, approving on the simulator's
phone page, with a real Celery worker collecting the order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from devtools.bankid_simulator import BankIDSimulator

from .test_login import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

PNR = "199001012385"


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    sim = BankIDSimulator(tmp_path_factory.mktemp("e2e-bankid")).start()
    yield sim
    sim.stop()


@pytest.fixture
def bankid(simulator, settings, worker_factory):
    simulator.reset()
    values = simulator.client_settings()
    for key, value in values.items():
        setattr(settings, key, value)
    worker_factory(extra_env={**values, "BANKID_COLLECT_INTERVAL": "1"})
    settings.BANKID_COLLECT_INTERVAL = 1.0
    return simulator


def approve_on_phone(context, phone_url: str, a11y) -> None:
    phone = context.new_page()
    phone.goto(phone_url)
    phone.locator("#pnr").fill(PNR)
    phone.locator("form[action='/open'] button").click()
    phone.locator("button[value=approve]").click()
    expect(phone.locator("[role=status]")).to_be_visible()
    phone.close()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "sv",
            {
                "enrol": "Mobilt BankID",
                "field": "Personnummer",
                "start": "Logga in med Mobilt BankID",
                "waiting": "Väntar på Mobilt BankID-inloggning...",
                "done": "Du har nu registrerat ditt BankID för återställning av lösenord",
                "stars": "1 av 2 stjärnor",
            },
        ),
        (
            "en",
            {
                "enrol": "Mobile BankID",
                "field": "Personal identity number",
                "start": "Log in with Mobile BankID",
                "waiting": "Waiting for Mobile BankID login...",
                "done": "You have now registered your BankID for password reset",
                "stars": "1 of 2 stars",
            },
        ),
    ],
)
def test_enrol_bankid_through_the_simulators_phone_page(
    page, a11y, demo_user, bankid, language, texts
):
    log_in(page, a11y, "anna", "Gammal-Hemlis-42")
    a11y(page)
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page).to_have_url(re.compile(r"/en/$"))
    a11y(page)
    page.get_by_role("link", name=texts["enrol"]).click()
    a11y(page)
    page.get_by_label(texts["field"]).fill("900101-2385")
    page.get_by_role("button", name=texts["start"]).click()
    expect(page.get_by_text(texts["waiting"])).to_be_visible()
    expect(page.locator("#bankid-qr svg")).to_be_visible()
    # The page redraws the animated QR from each poll's content (in the browser).
    expect(page.locator("#bankid-qr svg rect")).to_be_attached()
    a11y(page)
    approve_on_phone(page.context, bankid.phone_url, a11y)
    expect(page.get_by_text(texts["done"])).to_be_visible(timeout=30_000)
    a11y(page)
    page.get_by_role("link", name=re.compile("startsidan|home page", re.I)).click()
    expect(page.get_by_role("img", name=texts["stars"])).to_be_visible()
    a11y(page)


def test_cancelling_in_the_app_tells_the_user_and_lets_them_retry(page, a11y, demo_user, bankid):
    log_in(page, a11y, "anna", "Gammal-Hemlis-42")
    a11y(page)
    page.get_by_role("link", name="Mobilt BankID").click()
    a11y(page)
    page.get_by_label("Personnummer").fill(PNR)
    page.get_by_role("button", name="Logga in med Mobilt BankID").click()
    a11y(page)
    phone = page.context.new_page()
    phone.goto(bankid.phone_url)
    phone.locator("#pnr").fill(PNR)
    phone.locator("form[action='/open'] button").click()
    phone.locator("button[value=cancel]").click()
    phone.close()
    expect(page.get_by_text("Åtgärden avbröts.")).to_be_visible(timeout=30_000)
    a11y(page)
    expect(page.get_by_role("link", name="Försök igen")).to_be_visible()
