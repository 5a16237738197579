"""The secret an authenticator app is given: the otpauth:// URI, its QR code, the typed form."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno

from . import conf


def base32_secret(key: bytes) -> str:
    """The secret as the apps take it when typed: base32 without padding."""
    return b32encode(key).decode().rstrip("=")


def grouped(secret: str, size: int = 4) -> str:
    """``JBSW Y3DP EHPK 3PXP``: easier to read and type than one long word."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def otpauth_uri(*, key: bytes, account: str) -> str:
    """The Key URI Format the apps read from a QR code
    (``otpauth://totp/Issuer:account?secret=…&issuer=Issuer``)."""
    issuer = conf.issuer()
    account = (account or "").replace(":", "")
    # The colon stays literal: some apps (and pyotp) do not read "%3A" as the separator.
    label = quote(account, safe="")
    if issuer:
        label = f"{quote(issuer, safe='')}:{label}"
    params = {
        "secret": base32_secret(key),
        "algorithm": "SHA1",
        "digits": conf.DIGITS,
        "period": conf.STEP,
    }
    query = urlencode(params)
    if issuer:
        query += f"&issuer={quote(issuer, safe='')}"
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str, *, title: str) -> str:
    """The URI as an inline SVG QR code (drawn here with segno: no CDN, no script)."""
    qr = segno.make(uri, error="m", micro=False)
    return qr.svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title=title,
        svgclass="totp-qr",
        lineclass=None,
    )
