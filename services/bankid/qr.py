"""The animated BankID QR code and the autostart link.

The QR payload changes every second: ``bankid.<qrStartToken>.<time>.<code>``
where ``time`` is the whole number of seconds since the ``/auth`` response was
received and ``code`` is HMAC-SHA256(qrStartSecret, time) in lowercase hex.
Compute it on the server: ``qrStartSecret`` must never reach the browser.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import math
import time
from urllib.parse import quote

import segno
from django.utils.translation import gettext_lazy as _

DEFAULT_QR_LABEL = _("QR-kod för BankID. Skanna den med BankID-appen i din mobil.")
#: The data mask, fixed: trying all eight and scoring each is 3/4 of the time
#: of a QR code, and a new one is made on every status poll (every second per
#: open order page). Any mask decodes; 2 is the one segno's scoring picks for
#: about nine BankID payloads in ten (version 7-M), so those frames are unchanged.
QR_MASK = 2

Instant = float | dt.datetime


def qr_auth_code(secret: str, elapsed_seconds: int) -> str:
    """HMAC-SHA256 of the decimal seconds string, keyed with the secret (hex)."""
    message = str(int(elapsed_seconds)).encode("ascii")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def qr_elapsed_seconds(started_at: Instant, now: Instant | None = None) -> int:
    """Whole seconds since ``started_at`` (never negative if the clock steps back)."""
    start = _epoch(started_at)
    current = time.time() if now is None else _epoch(now)
    return max(0, math.floor(current - start))


def qr_payload(token: str, secret: str, started_at: Instant, now: Instant | None = None) -> str:
    """The QR content to show now for an order.

    ``started_at`` is when the ``/auth`` or ``/sign`` response was received,
    as ``time.time()`` seconds or an aware datetime (``OrderStarted.started_at``).
    """
    elapsed = qr_elapsed_seconds(started_at, now)
    return f"bankid.{token}.{elapsed}.{qr_auth_code(secret, elapsed)}"


def qr_svg(payload: str, *, label: str | None = None, scale: int = 4) -> str:
    """An inline ``<svg>`` of the QR code, accessible (role="img", label, title).

    The SVG has a white quiet zone so that it scans in dark mode too, and no
    width/height attributes so that CSS sizes it (it keeps its viewBox).
    """
    text = str(label if label is not None else DEFAULT_QR_LABEL)
    code = segno.make_qr(payload, error="m", mask=QR_MASK)
    svg = code.svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", omitsize=True, title=text
    )
    attrs = f'<svg role="img" aria-label="{html.escape(text, quote=True)}" '
    return svg.replace("<svg ", attrs, 1)


def autostart_url(
    auto_start_token: str, *, universal_link: bool = False, redirect: str | None = None
) -> str:
    """The link that starts the BankID app on the same device.

    ``universal_link`` gives ``https://app.bankid.com/`` (iOS Safari, Android
    Chrome/Edge), otherwise ``bankid:///``. ``redirect`` is ``null`` unless a
    return URL is given (prefer ``returnUrl`` in the order instead).
    """
    base = "https://app.bankid.com/" if universal_link else "bankid:///"
    target = quote(redirect, safe="") if redirect else "null"
    return f"{base}?autostarttoken={quote(auto_start_token, safe='')}&redirect={target}"


def _epoch(value: Instant) -> float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("use an aware datetime for QR timing")
        return value.timestamp()
    return float(value)
