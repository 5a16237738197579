from __future__ import annotations

from django.conf import settings

from .branding import get_brand, logo_path
from .languages import language_links


def portal(request) -> dict:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "BRAND": get_brand(),
        "BRAND_HAS_LOGO": logo_path() is not None,
        "LANGUAGE_LINKS": language_links(request),
    }
