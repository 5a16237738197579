"""Helpers for the Mobilkod tests."""

from __future__ import annotations

import re

from enrollment.base import IdentityService
from services.sms.gateways import outbox


def last_code() -> str:
    """The code in the newest SMS of the outbox."""
    assert outbox, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def wrong_code(code: str) -> str:
    """A code of the same length that is not ``code``."""
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def make_request(session=None, *, ip: str = "192.0.2.10"):
    """A request with a (database) session, as a view would get it."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.session = session if session is not None else SessionStore()
    request.user = AnonymousUser()
    return request


class OtherService(IdentityService):
    """Stand-in for another enrolled service (its own verify view is not under test)."""

    key = "other"
    name = "Annan tjänst"
    enroll_url_name = "home"
    verify_url_name = "sms_verify"  # any URL that takes a flow_id will do
