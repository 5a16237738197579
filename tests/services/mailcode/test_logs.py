"""A whole E-postkod visit (enrol, a failed send, a reset proved by e-mail
code and a removal) logs neither the address nor a code nor a traceback."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from portal.logging import JsonFormatter
from tests.conftest import age_throttles

from .helpers import PRIVATE, last_code
from .test_enroll_views import FailingBackend

pytestmark = pytest.mark.django_db


def test_an_e_postkod_visit_logs_no_address_code_or_traceback(
    client, demo_user, settings, caplog, django_capture_on_commit_callbacks
):
    settings.IDENTITY_SERVICES = [
        {"class": "services.mailcode.service.MailCodeService", "weight": 1}
    ]
    settings.ENROLLMENT_STARS_FULL = settings.RESET_STARS_REQUIRED = 1
    settings.RESET_HISTORY_ITERATIONS = 1000
    caplog.set_level(logging.DEBUG)
    codes = []

    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    settings.EMAIL_BACKEND = "tests.services.mailcode.test_enroll_views.FailingBackend"
    post(reverse("mailcode_enroll"), {"address": PRIVATE})  # the mail server is down
    assert FailingBackend.tries
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    post(reverse("mailcode_confirm"), {"resend": "1"})
    codes.append(last_code())
    post(reverse("mailcode_confirm"), {"code": codes[-1]})
    post(reverse("logout"))
    start = post(reverse("reset_start"), {"username": "anna"})
    flow_id = start["Location"].rstrip("/").split("/")[-1]
    verify = reverse("mailcode_verify", kwargs={"flow_id": flow_id})
    age_throttles(61, scope_prefix="email-cooldown")  # the address's cooldown
    post(verify, {"send": "1"})
    codes.append(last_code())
    assert post(verify, {"code": codes[-1]}).status_code == 302

    secrets = [PRIVATE, PRIVATE.split("@")[0], *codes]
    formatter = JsonFormatter()
    assert len(caplog.records) > 10
    for record in caplog.records:
        line = formatter.format(record)
        assert "Traceback" not in line and "exception" not in json.loads(line)
        for secret in secrets:
            assert secret not in record.getMessage(), f"{secret!r} logged by {record.name}"
