"""Fixtures of the authenticator app tests: a logged-in Anna, her app enrolled
through the pages, pyotp as the independent maker of codes."""

from __future__ import annotations

import pytest
from django.utils import translation

from .helpers import enrol_through_pages


@pytest.fixture(autouse=True)
def _totp_settings(settings):
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    settings.BRAND_ORGANISATION = "Exempel AB"
    # No wait between tries unless a test asks for django-otp's throttling.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    with translation.override("sv"):
        yield


@pytest.fixture
def login(client):
    """Log ``client`` in with the directory password (fresh login)."""
    from django.urls import reverse

    def do_login(username="anna", password="Gammal-Hemlis-42", c=None):
        c = c or client
        response = c.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return c

    return do_login


@pytest.fixture
def anna_client(client, demo_user, login):
    return login()


@pytest.fixture
def anna_app(anna_client, demo_user, django_capture_on_commit_callbacks):
    """Anna's authenticator app, enrolled through the pages: her pyotp.TOTP."""
    with django_capture_on_commit_callbacks(execute=True):
        return enrol_through_pages(anna_client)


@pytest.fixture
def client_factory():
    """Another browser: a new test client with its own session."""
    from django.test import Client

    return Client
