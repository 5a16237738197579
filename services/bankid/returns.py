"""The return URL of a phone's order: BankID's app opens it when the user is done.

It carries a nonce that only this browser session knows (kept in the session,
mapped to the order), so a returning browser is checked to be the one that
started the order; a link copied to another device finds nothing.
"""

from __future__ import annotations

import secrets

from django.urls import reverse

from enrollment.device import is_mobile

_KEY = "bankid_returns"
_PENDING = "bankid_return_pending"
_KEEP = 10  # a session starts few orders; keep the latest ones


def return_url(request) -> str | None:
    """A fresh return URL for an order about to start on a phone; None on a
    computer (the QR is scanned on another device, which has nothing to return to)."""
    if not is_mobile(request):
        return None
    nonce = secrets.token_urlsafe(24)
    request.session[_PENDING] = nonce
    return request.build_absolute_uri(reverse("bankid_return", kwargs={"nonce": nonce}))


def remember(request, order) -> None:
    """Tie the nonce given to the order's start to the order."""
    nonce = request.session.pop(_PENDING, None)
    if not nonce:
        return
    known = dict(request.session.get(_KEY, {}))
    known[nonce] = str(order.pk)
    request.session[_KEY] = dict(list(known.items())[-_KEEP:])


def order_for(request, nonce: str) -> str | None:
    """The order id the nonce was given for in this session, else None."""
    known = request.session.get(_KEY, {})
    for candidate, order_id in known.items():
        if secrets.compare_digest(candidate, nonce or ""):
            return order_id
    return None
