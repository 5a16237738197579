"""The simulator's RP API as raw HTTP: what a client other than ours would see."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from .conftest import END_USER_IP, PNR


@pytest.fixture
def raw(sim):
    session = requests.Session()
    session.trust_env = False
    session.cert = (str(sim.certs.client_cert_file), str(sim.certs.client_key_file))
    session.verify = str(sim.certs.ca_file)

    def post(path: str, body, content_type: str = "application/json") -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return session.post(
            sim.api_url + path, data=data, headers={"Content-Type": content_type}, timeout=10
        )

    post.session = session
    yield post
    session.close()


def _error(response: requests.Response) -> tuple[int, str]:
    assert response.headers["Content-Type"].startswith("application/json")
    return response.status_code, response.json()["errorCode"]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=UTF-8", "application/json;charset=utf-8", "text/plain", ""],
)
def test_content_type_must_be_exactly_application_json(raw, content_type):
    response = raw("auth", {"endUserIp": END_USER_IP}, content_type=content_type)
    assert _error(response) == (415, "unsupportedMediaType")


def test_only_post_is_allowed(sim, raw):
    response = raw.session.get(sim.api_url + "collect", timeout=10)
    assert _error(response) == (405, "methodNotAllowed")


@pytest.mark.parametrize("path", ["/rp/v6.0/authenticate", "/rp/v5.1/auth", "/", "/rp/v6.0/"])
def test_unknown_paths_are_not_found(sim, raw, path):
    url = sim.api_url.split("/rp/")[0] + path
    response = raw.session.post(url, json={}, timeout=10)
    assert _error(response) == (404, "notFound")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("auth", {}),
        ("auth", {"endUserIp": "not-an-ip"}),
        ("auth", {"endUserIp": END_USER_IP, "personalNumber": PNR}),  # v5 style, top level
        ("auth", {"endUserIp": END_USER_IP, "requirement": {"personalNumber": "9001012385"}}),
        ("auth", {"endUserIp": END_USER_IP, "requirement": {"personalNumber": "199001012386"}}),
        ("auth", {"endUserIp": END_USER_IP, "requirement": {"cardReader": "class9"}}),
        ("auth", {"endUserIp": END_USER_IP, "requirement": {"pinCode": "yes"}}),
        ("auth", {"endUserIp": END_USER_IP, "userVisibleData": "not base64!"}),
        (
            "auth",
            {
                "endUserIp": END_USER_IP,
                "userVisibleData": _b64("x"),
                "userVisibleDataFormat": "html",
            },
        ),
        ("auth", {"endUserIp": END_USER_IP, "returnRisk": "true"}),
        ("auth", {"endUserIp": END_USER_IP, "web": {"userAgent": "x"}, "app": {"deviceOS": "y"}}),
        ("sign", {"endUserIp": END_USER_IP}),
        ("phone/auth", {"personalNumber": PNR}),
        ("phone/auth", {"personalNumber": PNR, "callInitiator": "someone"}),
        ("phone/auth", {"callInitiator": "user"}),
        ("phone/auth", {"personalNumber": PNR, "callInitiator": "user", "endUserIp": END_USER_IP}),
        ("phone/sign", {"personalNumber": PNR, "callInitiator": "RP"}),
        ("collect", {}),
        ("collect", {"orderRef": 42}),
        ("cancel", {}),
        ("collect", b"{not json"),
        ("collect", b"[1, 2]"),
    ],
)
def test_bad_requests_are_invalid_parameters(raw, path, body):
    assert _error(raw(path, body)) == (400, "invalidParameters")


def test_auth_answer_has_the_four_fields(raw):
    response = raw("auth", {"endUserIp": "2001:db8::7", "requirement": {"personalNumber": PNR}})
    assert response.status_code == 200
    assert set(response.json()) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}


def test_phone_auth_answers_only_the_order_ref(raw):
    response = raw("phone/auth", {"personalNumber": PNR, "callInitiator": "user"})
    assert set(response.json()) == {"orderRef"}


def test_complete_collect_is_shaped_like_bankids(sim, raw):
    order = raw("auth", {"endUserIp": END_USER_IP, "returnRisk": True}).json()
    sim.approve(order["orderRef"], personal_number=PNR)
    body = raw("collect", {"orderRef": order["orderRef"]}).json()
    assert set(body) == {"orderRef", "status", "completionData"}
    data = body["completionData"]
    assert set(data) == {"user", "device", "bankIdIssueDate", "signature", "ocspResponse", "risk"}
    assert set(data["user"]) == {"personalNumber", "name", "givenName", "surname"}
    assert set(data["device"]) == {"ipAddress", "uhi"}
    assert data["user"]["personalNumber"] == PNR
    assert b"<bankIdSignedData" in base64.b64decode(data["signature"])


def test_pending_and_failed_collects_carry_a_hint(sim, raw):
    order = raw("auth", {"endUserIp": END_USER_IP}).json()
    pending = raw("collect", {"orderRef": order["orderRef"]}).json()
    assert pending == {
        "orderRef": order["orderRef"],
        "status": "pending",
        "hintCode": "outstandingTransaction",
    }
    sim.user_cancel(order["orderRef"])
    failed = raw("collect", {"orderRef": order["orderRef"]}).json()
    assert (failed["status"], failed["hintCode"]) == ("failed", "userCancel")


def test_cancel_answers_an_empty_object(raw):
    order = raw("auth", {"endUserIp": END_USER_IP}).json()
    response = raw("cancel", {"orderRef": order["orderRef"]})
    assert (response.status_code, response.json()) == (200, {})


def test_rate_limit_answer_has_the_ratelimit_headers(sim, raw):
    sim.configure(inject_error={"errorCode": "tooManyRequests"})
    response = raw("collect", {"orderRef": "x"})
    assert _error(response) == (429, "tooManyRequests")
    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(response.headers)


def test_a_chunked_body_gets_a_json_error_like_every_other_answer(raw, sim):
    response = raw.session.post(
        sim.api_url + "auth",
        data=(part for part in [b'{"endUserIp":', b'"192.0.2.1"}']),  # chunked
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert _error(response) == (411, "invalidParameters")
