"""The organisation's brand: name, logo, primary colour and support contact.

Read from settings (``BRAND_*``, set from the environment in portal/settings.py);
the defaults are here, once. The colour is checked against WCAG 2.1 AA by a
system check (``portal.E001``): white text on it and it as link text on the
page background must both reach 4.5:1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

DEFAULT_PRIMARY_COLOUR = "#0b4f8a"
#: The page background and the text colour on the primary colour (static/css/portal.css).
PAGE_BACKGROUND = "#f6f7f9"
ON_PRIMARY = "#ffffff"
AA_NORMAL_TEXT = 4.5
LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
}

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class Brand:
    organisation: str
    primary_colour: str
    logo_file: str
    logo_alt: str
    support_phone: str
    support_email: str
    support_url: str

    @property
    def has_support(self) -> bool:
        return bool(self.support_phone or self.support_email or self.support_url)

    @property
    def phone_href(self) -> str:
        return "tel:" + re.sub(r"[^0-9+]", "", self.support_phone) if self.support_phone else ""


def _get(name: str, default: str = "") -> str:
    return str(getattr(settings, name, default) or default).strip()


def get_brand() -> Brand:
    return Brand(
        organisation=_get("BRAND_ORGANISATION"),
        primary_colour=normalise_colour(_get("BRAND_PRIMARY_COLOUR", DEFAULT_PRIMARY_COLOUR))
        or DEFAULT_PRIMARY_COLOUR,
        logo_file=_get("BRAND_LOGO_FILE"),
        logo_alt=_get("BRAND_LOGO_ALT") or _get("BRAND_ORGANISATION"),
        support_phone=_get("BRAND_SUPPORT_PHONE") or _get("HELPDESK_CONTACT"),
        support_email=_get("BRAND_SUPPORT_EMAIL"),
        support_url=_get("BRAND_SUPPORT_URL"),
    )


def normalise_colour(value: str) -> str:
    """``#abc`` or ``#aabbcc`` as lowercase ``#aabbcc``; "" for anything else."""
    value = (value or "").strip()
    if not _HEX.match(value):
        return ""
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    hexa = normalise_colour(colour)
    channels = []
    for i in (1, 3, 5):
        c = int(hexa[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio (1 to 21) of two colours."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def logo_path() -> Path | None:
    """The logo file, if one is set, readable and of a type we serve."""
    name = get_brand().logo_file
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in LOGO_TYPES or not path.is_file():
        return None
    return path


def brand_css(brand: Brand) -> str:
    """The custom properties that carry the brand into static/css/portal.css."""
    return f":root {{ --brand: {brand.primary_colour}; --brand-fg: {ON_PRIMARY}; }}\n"


@register(Tags.templates)
def check_brand(app_configs=None, **kwargs) -> list:
    problems = []
    raw = _get("BRAND_PRIMARY_COLOUR", DEFAULT_PRIMARY_COLOUR)
    colour = normalise_colour(raw)
    if not colour:
        return [
            Error(
                f"BRAND_PRIMARY_COLOUR {raw!r} is not a colour like #0b4f8a.",
                hint="Give the colour as #rrggbb.",
                id="portal.E011",
            )
        ]
    for other, where in ((ON_PRIMARY, "white text on it"), (PAGE_BACKGROUND, "links on the page")):
        ratio = contrast_ratio(colour, other)
        if ratio < AA_NORMAL_TEXT:
            problems.append(
                Error(
                    f"BRAND_PRIMARY_COLOUR {colour} has a contrast of {ratio:.2f}:1 with "
                    f"{where} ({other}); WCAG 2.1 AA needs {AA_NORMAL_TEXT}:1.",
                    hint="Pick a darker shade of the colour.",
                    id="portal.E012",
                )
            )
    name = _get("BRAND_LOGO_FILE")
    if name:
        path = Path(name)
        if path.suffix.lower() not in LOGO_TYPES:
            problems.append(
                Error(
                    f"BRAND_LOGO_FILE {name!r} is not one of {', '.join(sorted(LOGO_TYPES))}.",
                    id="portal.E013",
                )
            )
        elif not path.is_file():
            problems.append(Error(f"BRAND_LOGO_FILE {name!r} cannot be read.", id="portal.E014"))
    return problems
