"""The phone page, used the way a person uses it: plain HTML forms."""

from __future__ import annotations

import re

import pytest
import requests

from .conftest import END_USER_IP, PNR


@pytest.fixture
def browser(sim):
    session = requests.Session()
    session.trust_env = False
    yield session
    session.close()


def _post(browser, sim, path: str, data: dict[str, str], **headers: str) -> requests.Response:
    return browser.post(
        sim.phone_url.rstrip("/") + path,
        data=data,
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def test_start_page_is_labelled_swedish_with_english(sim, browser):
    page = browser.get(sim.phone_url, timeout=10)
    assert page.status_code == 200
    html = page.text
    assert '<html lang="sv">' in html and 'lang="en"' in html
    for field in ("qr", "pnr"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert "<script" not in html and "http://" not in html.replace(sim.phone_url, "")


def test_scan_then_approve_completes_the_order(sim, bankid, browser):
    order = bankid.auth(END_USER_IP, personal_number=PNR, user_visible_data="Logga in <nu>")
    scanned = _post(browser, sim, "/scan", {"qr": order.qr_payload()})
    assert scanned.status_code == 303
    page = browser.get(sim.phone_url.rstrip("/") + scanned.headers["Location"], timeout=10).text
    assert "Självserviceportalen" in page
    assert "Logga in &lt;nu&gt;" in page and "<nu>" not in page
    assert "19900101-2385" in page
    assert "Godkänn" in page and "Avbryt" in page
    assert bankid.collect(order.order_ref).hint_code == "userSign"

    done = _post(browser, sim, f"/order/{order.order_ref}", {"action": "approve"})
    assert done.status_code == 303
    result = bankid.collect(order.order_ref)
    assert result.is_complete and result.completion.user.personal_number == PNR


def test_cancel_button_fails_the_order_with_user_cancel(sim, bankid, browser):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    _post(browser, sim, "/open", {"personal_number": "900101-2385"})
    _post(browser, sim, f"/order/{order.order_ref}", {"action": "cancel"})
    result = bankid.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "userCancel")


def test_a_wrong_qr_code_is_refused_with_a_message(sim, bankid, browser):
    order = bankid.auth(END_USER_IP)
    payload = order.qr_payload()
    forged = re.sub(r"[0-9a-f]{64}$", "0" * 64, payload)
    response = _post(browser, sim, "/scan", {"qr": forged})
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "QR-koden är inte äkta" in response.text
    assert bankid.collect(order.order_ref).hint_code == "outstandingTransaction"


def test_the_person_types_their_number_when_the_order_has_none(sim, bankid, browser):
    order = bankid.auth(END_USER_IP)
    _post(browser, sim, "/scan", {"qr": order.qr_payload()})
    refused = _post(
        browser, sim, f"/order/{order.order_ref}", {"action": "approve", "personal_number": "12345"}
    )
    assert refused.status_code == 400 and "Personnumret är inte giltigt" in refused.text
    assert bankid.collect(order.order_ref).is_pending

    _post(
        browser,
        sim,
        f"/order/{order.order_ref}",
        {"action": "approve", "personal_number": "701063-2391", "name": "Sam Samordnare"},
    )
    user = bankid.collect(order.order_ref).completion.user
    assert (user.personal_number, user.given_name, user.surname) == (
        "197010632391",
        "Sam",
        "Samordnare",
    )


def test_unknown_personal_number_has_no_order(sim, browser):
    response = _post(browser, sim, "/open", {"personal_number": "201701122382"})
    assert response.status_code == 400 and "Det finns ingen pågående order" in response.text


def test_another_site_cannot_post_to_the_phone(sim, bankid, browser):
    order = bankid.auth(END_USER_IP, personal_number=PNR)
    sim.open(orderRef=order.order_ref)
    response = _post(
        browser,
        sim,
        f"/order/{order.order_ref}",
        {"action": "approve"},
        Origin="http://evil.example",
    )
    assert response.status_code == 403
    assert bankid.collect(order.order_ref).is_pending


def test_scripted_api_refuses_form_posts(sim, browser):
    response = _post(browser, sim, "/sim/reset", {"x": "1"})
    assert response.status_code == 415
