"""Is the browser on a phone or tablet? From the client hint, else the User-Agent.

BankID is started differently on a phone (the app on the same device, through
``https://app.bankid.com/``) than on a computer (a QR code scanned with the
phone). ``Sec-CH-UA-Mobile`` (Chromium browsers send it on every request) is
the browser's own answer; Safari and Firefox send none, so the User-Agent is read.
"""

from __future__ import annotations

import re

_MOBILE_UA = re.compile(r"iPhone|iPad|iPod|Android|Mobile|Windows Phone|IEMobile", re.IGNORECASE)
_IOS = re.compile(r"iPhone|iPad|iPod", re.IGNORECASE)


def is_mobile(request) -> bool:
    hint = request.headers.get("Sec-CH-UA-Mobile", "").strip()
    if hint == "?1":
        return True
    # "?0" is also what Chrome on an Android tablet sends: a tablet can hold
    # the BankID app, so the User-Agent decides then.
    return bool(_MOBILE_UA.search(request.headers.get("User-Agent", "")))


def is_ios(request) -> bool:
    return bool(_IOS.search(request.headers.get("User-Agent", "")))
