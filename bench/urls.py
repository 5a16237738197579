"""The portal's URLs plus the baseline the status poll is compared with.

The baseline is a minimal Django view that answers JSON of a given size, served
by the same gunicorn, settings and middleware as the portal's views. It exists
only in the bench (``bench.settings`` points ROOT_URLCONF here).
"""

from __future__ import annotations

import json
from functools import lru_cache
from unittest import mock

from django.http import Http404, JsonResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

_SHAPE = {
    "status": "pending",
    "hint": "outstandingTransaction",
    "message": "",
    "qr": "",
    "done": False,
}


@lru_cache(maxsize=16)
def baseline_payload(size: int) -> dict:
    """A dict shaped like the status JSON whose encoding is exactly ``size`` bytes."""
    empty = len(json.dumps(_SHAPE).encode())
    return {**_SHAPE, "qr": "x" * max(0, size - empty)}


def baseline(request, size: int):
    return JsonResponse(baseline_payload(min(size, 1_000_000)))


def status_with_qr_payload(request, order_id):
    """What-if, not the product: the portal's status view with the QR code sent
    as its payload (for the browser to draw) instead of as an SVG drawn here."""
    from services.bankid import status
    from services.bankid.orders import get_order

    order = get_order(request=request, order_id=order_id)
    if order is None:
        raise Http404
    with mock.patch.object(status, "qr_svg", lambda payload, label=None: payload):
        return JsonResponse(status.order_state(order, request))


urlpatterns = [
    path("bench/baseline/<int:size>", baseline, name="bench_baseline"),
    path("bench/what-if/qr-payload/<uuid:order_id>", status_with_qr_payload),
    *portal_urlpatterns,
]
