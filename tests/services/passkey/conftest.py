"""Fixtures for the passkey tests: the services, a logged-in client, and a
real browser with a virtual authenticator on the live server's origin
(``http://localhost:<port>``, a secure context; RP ID ``localhost``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.helpdesk.conftest import ordinary, ordinary_person  # noqa: F401

from .authenticator import Authenticator

PASSKEY_AND_SMS = [
    {"class": "services.passkey.service.PasskeyService", "weight": 2},
    {"class": "services.sms.service.SmsService", "weight": 1},
]


@pytest.fixture(autouse=True)
def _passkey_settings(settings):
    settings.IDENTITY_SERVICES = PASSKEY_AND_SMS
    settings.ENROLLMENT_STARS_FULL = 3
    settings.RESET_STARS_REQUIRED = 2
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost"]
    with translation.override("sv"):
        yield


@pytest.fixture
def origin(settings, live_server):
    """The live server's origin, the one origin responses may come from."""
    settings.WEBAUTHN_ORIGINS = [live_server.url]
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def authenticator(page, origin):
    """A virtual authenticator in a page on the live server's origin."""
    page.goto(f"{origin}/login/")
    return Authenticator(page)


@pytest.fixture(autouse=True)
def _fresh_language():
    # reverse() prefixes URLs with the active language; a request to /en/...
    # in an earlier test leaves English active in this thread.
    with translation.override("sv"):
        yield


@pytest.fixture
def login(client):
    def do_login(username="anna", password="Gammal-Hemlis-42", c=None):
        c = c or client
        response = c.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return c

    return do_login


@pytest.fixture
def bertil(demo_directory):
    return demo_directory.create_user(
        username="bertil",
        password="Bertils-Hemlis-42",
        upn="bertil@demo.local",
        mail="bertil@demo.local",
        display_name="Bertil Berg",
    )


def options_in(response) -> dict:
    """The WebAuthn options a page carries (its json_script)."""
    html = response.content.decode()
    match = re.search(r'<script id="passkey-options" type="application/json">(.*?)</script>', html)
    assert match, html[:2000]
    return json.loads(match.group(1))


def register_key(client, authenticator, *, name: str = "") -> dict:
    """Register a key through the pages with ``authenticator``; the options used."""
    options = options_in(client.get(reverse("passkey_manage")))
    answer = authenticator.create(options)
    response = client.post(
        reverse("passkey_manage"), {"action": "add", "name": name, "credential": answer}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return options
