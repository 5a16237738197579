from __future__ import annotations

from django.conf import settings


def portal(request) -> dict:
    return {"PORTAL_NAME": settings.PORTAL_NAME, "DEMO_MODE": settings.DEMO_MODE}
