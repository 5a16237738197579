"""The organisation's brand in e-mail: a header in the brand colour with the
logo and name, and a footer with the support contact.

E-mail is rendered without a request (in Celery tasks), so no context
processor runs; the e-mail templates of every app extend
``email/base.html``, which loads this library. The logo is linked from the
portal's public address (``PORTAL_URL`` + ``/brand/logo``): without that
address, or without a logo, the header shows the organisation's name alone.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from portal.branding import ON_PRIMARY, get_brand, logo_path

register = template.Library()


def logo_url() -> str:
    """The logo's absolute address for an e-mail client, or "" if there is none."""
    base = str(getattr(settings, "PORTAL_URL", "") or "").strip().rstrip("/")
    if not base or logo_path() is None:
        return ""
    return base + reverse("brand_logo")


@register.inclusion_tag("email/_header.html")
def mail_header() -> dict:
    brand = get_brand()
    return {
        "brand": brand,
        "on_primary": ON_PRIMARY,
        "logo_url": logo_url(),
        "title": brand.organisation or settings.PORTAL_NAME,
        "portal_name": settings.PORTAL_NAME,
    }


@register.inclusion_tag("email/_footer.html")
def mail_footer() -> dict:
    return {"brand": get_brand(), "portal_name": settings.PORTAL_NAME}


@register.simple_tag
def brand_colour() -> str:
    return get_brand().primary_colour
