"""Fixtures for the Mobilkod tests: a logged-in client, the SMS outbox, fast gateways."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from services.sms.gateways import outbox


@pytest.fixture(autouse=True)
def _clean_sms_state(settings):
    """Every test starts with an empty outbox and fast retries (the root
    conftest's ``_fresh_cache`` forgets the rate-limit counts)."""
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    settings.SMS_RETRY_BACKOFF = 0
    outbox.clear()
    # reverse() prefixes URLs with the active language, and a request to /en/...
    # in an earlier test leaves English active in this thread: start from Swedish.
    with translation.override("sv"):
        yield
    outbox.clear()


@pytest.fixture
def login(client):
    """Log ``client`` in with the directory password (fresh login)."""

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
def client_factory():
    """Another browser: a new test client with its own session."""
    from django.test import Client

    return Client
