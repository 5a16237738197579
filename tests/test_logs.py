"""The logs of a whole visit (login, Mobilkod and BankID enrollment, a password
reset) are JSON lines and hold no password, code, phone number or personnummer."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.urls import reverse

from portal.logging import JsonFormatter
from services.bankid.collect import collect_once
from services.bankid.models import BankIDOrder
from services.bankid.orders import qr_content
from services.sms.gateways import outbox

pytestmark = pytest.mark.django_db

PNR = "199001012385"
PHONE = "+46701234512"
OLD_PASSWORD = "Gammal-Hemlis-42"
NEW_PASSWORD = "Blå-Bergsbana-Fika-2026"


def _code() -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def test_a_full_visit_logs_json_lines_without_secrets(
    client, demo_user, sim, bankid_settings, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    outbox.clear()
    codes = []

    def post(url, data=None):
        # Tasks (the SMS sends) are queued on commit: run them after each request.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    post(reverse("login"), {"username": "anna", "password": OLD_PASSWORD})
    # Mobilkod
    post(reverse("sms_enroll"), {"country": "SE", "number": "070-123 45 12"})
    codes.append(_code())
    post(reverse("sms_confirm"), {"code": codes[-1]})
    # Mobilt BankID
    response = post(reverse("bankid_enroll"), {"personal_number": PNR})
    order = BankIDOrder.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    sim.scan(qr_content(order))
    sim.approve(order.order_ref)
    collect_once(order_id=str(order.pk), token=order.collect_token)
    client.get(reverse("bankid_status", kwargs={"order_id": order.pk}))
    # Nytt lösenord
    post(reverse("logout"))
    start = post(reverse("reset_start"), {"username": "anna"})
    flow_id = start["Location"].rstrip("/").split("/")[-1]
    verify = reverse("sms_verify", kwargs={"flow_id": flow_id})
    post(verify, {"send": "1"})
    codes.append(_code())
    post(verify, {"code": codes[-1]})
    done = post(
        reverse("reset_password", kwargs={"flow_id": flow_id}),
        {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert done.status_code == 302, re.sub(r"<[^>]+>|\s+", " ", done.content.decode())[-3000:]
    assert BankIDOrder.objects.get(pk=order.pk).outcome == "enrolled"

    secrets = [PNR, "900101-2385", PHONE, "0701234512", OLD_PASSWORD, NEW_PASSWORD, *codes]
    formatter = JsonFormatter()
    assert len(caplog.records) > 10
    for record in caplog.records:
        raw = record.getMessage()
        line = formatter.format(record)
        assert json.loads(line)["message"]
        for secret in secrets:
            assert secret not in raw, f"{secret!r} logged by {record.name}: {raw}"
            assert secret not in line
