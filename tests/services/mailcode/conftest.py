"""Fixtures for the E-postkod tests: a logged-in client, Django's mail outbox,
no waiting between mail retries."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from tests.services.sms.conftest import anna_client, client_factory, login  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_mail_state(settings):
    """Every test starts with an empty outbox (the root conftest's
    ``_fresh_cache`` forgets the rate-limit counts) and in Swedish."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILCODE_RETRY_BACKOFF = 0
    mail.outbox = []
    with translation.override("sv"):
        yield
    mail.outbox = []
