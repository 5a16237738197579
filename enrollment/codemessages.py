"""The messages every one-time code service shares (Swedish source text),
keyed by a short code; each service adds its own (how it sends, what it
sends to) and looks both up with ``message``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from identity.protection import LOCKED_OUT_MESSAGE

COMMON_MESSAGES = {
    "code_format": _("Koden får bara innehålla siffror."),
    "code_too_many": _("Du har skrivit fel kod för många gånger. Skicka en ny kod."),
    "code_expired": _("Koden har gått ut. Skicka en ny kod."),
    "code_used": _("Koden har redan använts. Skicka en ny kod om du behöver en."),
    "code_not_found": _("Koden gäller inte längre. Skicka en ny kod."),
    "rate_limited_send": _("Du har begärt för många koder. Vänta en stund och försök igen."),
    "rate_limited_verify": _("För många försök. Vänta en stund och försök igen."),
    "locked_out": LOCKED_OUT_MESSAGE,
    "flow_expired": _("Din session har gått ut eller är ogiltig. Börja om från startsidan."),
}


def _counted(code: str, count: int) -> str | None:
    if code == "code_length":
        return ngettext(
            "Koden ska vara %(count)d siffra.", "Koden ska vara %(count)d siffror.", count
        )
    if code == "code_wrong":
        return ngettext(
            "Fel kod. Du har %(count)d försök kvar.",
            "Fel kod. Du har %(count)d försök kvar.",
            count,
        )
    if code == "cooldown":
        return ngettext(
            "Vänta %(count)d sekund innan du skickar koden igen.",
            "Vänta %(count)d sekunder innan du skickar koden igen.",
            count,
        )
    return None


def message(code: str, own: dict, **params) -> str:
    """The translated message for ``code``: the service's ``own`` first, then
    the common ones; ``%(name)s`` parameters filled in. An unknown code says
    the code is no longer valid."""
    if "count" in params:
        counted = _counted(code, params["count"])
        if counted is not None:
            return counted % params
    text = own.get(code) or COMMON_MESSAGES.get(code) or COMMON_MESSAGES["code_not_found"]
    text = str(text)
    return text % params if params else text
