"""BankID on a phone: the app on the same device through BankID's universal
link, a return URL with a nonce that brings this browser back to the order,
and the recommended message chosen by device and by link or QR."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from services.bankid.messages import user_message
from services.bankid.models import BankIDOrder

from .conftest import PNR
from .test_enrollment_flow import drive

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


def browser(user_agent: str, **headers) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, **headers)
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302
    return client


def start(client) -> BankIDOrder:
    response = client.post(reverse("bankid_enroll"), {"personal_number": PNR})
    assert response.status_code == 302
    return BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def sim_order(sim, order: BankIDOrder) -> dict:
    return next(o for o in sim.orders() if o["orderRef"] == order.order_ref)


def poll(client, order, mode: str = "") -> dict:
    url = reverse("bankid_status", kwargs={"order_id": order.pk})
    return client.get(url, {"mode": mode} if mode else {}).json()


def test_a_phone_is_led_to_open_the_app_through_the_universal_link(demo_user, bankid_settings):
    phone = browser(IPHONE)
    order = start(phone)
    page = phone.get(reverse("bankid_order", kwargs={"order_id": order.pk})).content.decode()
    link = f"https://app.bankid.com/?autostarttoken={order.auto_start_token}&amp;redirect=null"
    assert f'<a class="button primary" id="bankid-autostart" href="{link}">Öppna BankID</a>' in page
    assert "bankid:///" not in page
    # The QR waits behind "another device", and is not even drawn yet.
    assert "<details" in page and "<svg" not in page


def test_a_computer_gets_the_qr_first_and_the_bankid_program_link(demo_user, bankid_settings):
    desktop = browser(DESKTOP)
    order = start(desktop)
    page = desktop.get(reverse("bankid_order", kwargs={"order_id": order.pk})).content.decode()
    assert "<svg" in page
    assert f"bankid:///?autostarttoken={order.auto_start_token}&amp;redirect=null" in page
    assert "app.bankid.com" not in page


def test_a_phones_order_carries_a_return_url_that_brings_this_browser_back(
    demo_user, bankid_settings, sim
):
    phone = browser(IPHONE)
    order = start(phone)
    return_url = sim_order(sim, order)["returnUrl"]
    assert re.fullmatch(r"http://testserver/bankid/return/[\w-]{20,}", return_url)
    response = phone.get(return_url.removeprefix("http://testserver"))
    assert response.status_code == 302
    assert response["Location"] == reverse("bankid_order", kwargs={"order_id": order.pk})
    # Once the app has approved, the same return lands on the finished order.
    sim.approve(order.order_ref, personal_number=PNR)
    drive(order)
    back = phone.get(return_url.removeprefix("http://testserver"), follow=True)
    assert (
        "Du har nu registrerat ditt BankID för återställning av lösenord" in back.content.decode()
    )


def test_a_return_url_opened_in_another_browser_finds_nothing(demo_user, bankid_settings, sim):
    phone = browser(IPHONE)
    order = start(phone)
    return_path = sim_order(sim, order)["returnUrl"].removeprefix("http://testserver")
    stranger = Client(HTTP_USER_AGENT=IPHONE)
    response = stranger.get(return_path)
    assert response.status_code == 400
    assert "Vi hittar inte din BankID-inloggning" in response.content.decode()
    assert phone.get(return_path).status_code == 302  # the starter's still works


def test_a_computers_order_has_no_return_url(demo_user, bankid_settings, sim):
    order = start(browser(DESKTOP))
    assert sim_order(sim, order)["returnUrl"] is None


def test_the_client_hint_makes_a_phone_without_a_phone_user_agent(demo_user, bankid_settings, sim):
    order = start(browser(DESKTOP, HTTP_SEC_CH_UA_MOBILE="?1"))
    assert sim_order(sim, order)["returnUrl"]


@pytest.mark.parametrize(
    ("agent", "mode", "hint", "rfa"),
    [
        (IPHONE, "", "outstandingTransaction", "RFA13"),
        (IPHONE, "qr", "outstandingTransaction", "RFA1"),
        (DESKTOP, "", "outstandingTransaction", "RFA1"),
        (DESKTOP, "link", "outstandingTransaction", "RFA13"),
        (IPHONE, "", "started", "RFA15B"),
        (DESKTOP, "link", "started", "RFA15A"),
    ],
)
def test_the_pending_message_depends_on_device_and_link_or_qr(
    demo_user, bankid_settings, sim, agent, mode, hint, rfa
):
    client = browser(agent)
    order = start(client)
    sim.set_hint(order.order_ref, hint)
    drive(order)
    state = poll(client, order, mode)
    assert state["message"] == str(user_message(rfa))
    scanning = mode == "qr" or (agent == DESKTOP and not mode)
    assert (state["qr"] is not None) == (scanning and hint == "outstandingTransaction")


@pytest.mark.parametrize(("agent", "rfa"), [(IPHONE, "RFA17A"), (DESKTOP, "RFA17B")])
def test_a_start_failure_says_install_the_app_or_scan_again(
    demo_user, bankid_settings, sim, agent, rfa
):
    client = browser(agent)
    order = start(client)
    sim.fail(order.order_ref, "startFailed")
    drive(order)
    state = poll(client, order)
    assert state["done"] and state["message"] == str(user_message(rfa))
    done = client.get(state["next"]).content.decode()
    assert str(user_message(rfa)) in done
