"""A person enrols Mobilt BankID in the browser, approving on the simulator's
phone page, with a real Celery worker collecting the order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from devtools.bankid_simulator import BankIDSimulator
from enrollment.models import Enrollment

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
                "stars": "2 av 3 stjärnor",
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
                "stars": "2 of 3 stars",
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
    # The order page shows the message too, then moves on to the done page:
    # wait for the done page (its retry link) before checking the page.
    expect(page.get_by_role("link", name="Försök igen")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Åtgärden avbröts.")).to_be_visible()
    a11y(page)


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        (
            "",
            {
                "open": "Öppna BankID",
                "message": "Försöker starta BankID-appen.",
                "done": "Du har nu registrerat ditt BankID för återställning av lösenord",
            },
        ),
        (
            "/en",
            {
                "open": "Open BankID",
                "message": "Trying to start your BankID app.",
                "done": "You have now registered your BankID for password reset",
            },
        ),
    ],
    ids=["sv", "en"],
)
def test_on_a_phone_the_app_opens_through_the_universal_link_and_returns_to_the_order(
    browser, live_server, a11y, demo_user, bankid, prefix, texts
):
    """An iPhone at 390x844: "Öppna BankID" is the universal link; "the app"
    (this test, at app.bankid.com) approves and opens the order's returnUrl,
    which lands this browser back on the order page, which then finishes."""
    context = browser.new_context(
        user_agent=IPHONE,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("load", lambda: a11y.on_load(page))
    opened = []

    def bankid_app(route):
        token = re.search(r"autostarttoken=([\w-]+)", route.request.url).group(1)
        order = bankid.open(autoStartToken=token)
        bankid.approve(order["orderRef"], personal_number=PNR)
        return_url = next(o for o in bankid.orders() if o["orderRef"] == order["orderRef"])[
            "returnUrl"
        ]
        opened.append((route.request.url, return_url))
        route.fulfill(status=302, headers={"Location": return_url})

    page.route("https://app.bankid.com/**", bankid_app)
    try:
        page.goto(f"{prefix}/login/")
        a11y(page)
        page.locator("#id_username").fill("anna")
        page.locator("#id_password").fill("Gammal-Hemlis-42")
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"{prefix}/$"))
        a11y(page)
        page.goto(f"{prefix}/bankid/")
        a11y(page)
        page.locator("#id_personal_number").fill(PNR)
        page.locator("main form button[type=submit]").click()
        open_link = page.get_by_role("link", name=texts["open"], exact=True)
        expect(open_link).to_have_attribute("href", re.compile(r"^https://app\.bankid\.com/\?"))
        expect(page.locator("#bankid-message")).to_have_text(texts["message"])
        expect(page.locator("#bankid-qr svg")).to_have_count(0)  # no QR on the phone first
        a11y(page)
        open_link.click()
        expect(page.get_by_text(texts["done"])).to_be_visible(timeout=30_000)
        a11y(page)
        assert len(opened) == 1
        link, return_url = opened[0]
        assert link.endswith("&redirect=null")
        assert re.fullmatch(
            rf"{re.escape(live_server.url)}{prefix}/bankid/return/[\w-]+", return_url
        )
        assert Enrollment.objects.filter(user_guid=demo_user.guid, service="bankid").exists()
    finally:
        from .conftest import screenshot

        screenshot(page, f"bankid-phone-{prefix.strip('/') or 'sv'}")
        # The order page loads twice (before the app, and on the return), and
        # the second time goes on to the done page at once: checked the first time.
        missed = [u for u in a11y.unchecked if u != page.url and u not in a11y.checked]
        context.close()
    assert not missed, f"pages loaded but not checked with axe: {missed}"


def test_a_reset_on_the_default_stars_with_bankid(page, a11y, demo_user, bankid):
    """On the defaults (a reset needs 2 stars; Mobilkod is 1, BankID 2) the
    proof page asks for 2 stars whatever the account has; BankID approved on
    the simulator's phone fills the row, and the new password works. (One
    SMS code is not enough: tests/reset/test_proof.py and the attack tests.)"""
    from identity.directory import get_directory
    from services.bankid.pnr import hash_personal_number
    from tests.reset.conftest import NEW_PASSWORD, enrol_sms

    enrol_sms(demo_user)
    Enrollment.objects.create(
        user_guid=demo_user.guid,
        username="anna",
        service="bankid",
        display="Anna Andersson",
        value_hash=hash_personal_number(PNR),
    )
    page.goto("/reset/")
    a11y(page)
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("img", name="0 av 2 stjärnor")).to_be_visible()
    expect(page.get_by_text("Du behöver 2 stjärnor för att fortsätta.")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Identifiera dig med Mobilt BankID").click()
    a11y(page)
    page.get_by_role("button", name="Starta Mobilt BankID").click()
    expect(page.locator("#bankid-qr svg")).to_be_visible()
    a11y(page)
    # A proof order names no personnummer: the phone scans the QR code.
    from services.bankid.models import BankIDOrder
    from services.bankid.orders import qr_content

    order = BankIDOrder.objects.get(flow_id__isnull=False, purpose="verify")
    phone = page.context.new_page()
    phone.goto(bankid.phone_url)
    phone.locator("#qr").fill(qr_content(order))
    phone.locator("form[action='/scan'] button").click()
    phone.locator("#personal_number").fill(PNR)
    phone.locator("button[value=approve]").click()
    expect(phone.locator("[role=status]")).to_be_visible()
    phone.close()
    expect(page.get_by_role("img", name="2 av 2 stjärnor")).to_be_visible(timeout=30_000)
    a11y(page)
    page.get_by_role("link", name="Välj nytt lösenord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj nytt lösenord")
    a11y(page)
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Ditt lösenord är bytt.")).to_be_visible()
    a11y(page)
    assert get_directory().authenticate("anna", NEW_PASSWORD).guid == demo_user.guid
