"""Helpers of the authenticator app tests: pyotp is the oracle that makes the codes."""

from __future__ import annotations

import html
import re
import time
from types import SimpleNamespace

import pyotp
from django.urls import reverse

from enrollment import proofs

STEP = 30


def secret_on(page: str) -> str:
    """The secret as the page shows it for typing (groups of 4), without spaces."""
    match = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)
    assert match, "no secret on the page"
    return match.group(1).replace(" ", "")


def uri_on(page: str) -> str:
    match = re.search(r'id="totp-open-app"|href="(otpauth://[^"]+)"', page)
    found = re.search(r'href="(otpauth://[^"]+)"', page)
    assert match and found, "no otpauth link on the page"
    return html.unescape(found.group(1))


def code(app: pyotp.TOTP, *, steps: int = 0) -> str:
    """The app's code ``steps`` time steps from now."""
    return app.at(time.time() + steps * STEP)


def enrol_through_pages(client) -> pyotp.TOTP:
    page = client.get(reverse("totp_enroll")).content.decode()
    app = pyotp.TOTP(secret_on(page))
    response = client.post(reverse("totp_enroll"), {"code": code(app)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return app


def start_flow(client, *, user_guid: str, username: str, purpose: str = "reset"):
    holder = SimpleNamespace(session=client.session)
    flow = proofs.start_flow(
        holder, purpose=purpose, user_guid=user_guid, username=username, return_url="/after/"
    )
    holder.session.save()
    return flow


def flow_in(client, flow_id: str):
    return proofs.get_flow(SimpleNamespace(session=client.session), flow_id)


def verify_url(flow) -> str:
    return reverse("totp_verify", kwargs={"flow_id": flow.id})
