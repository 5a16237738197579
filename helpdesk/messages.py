"""The helpdesk's messages, keyed by a short code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "directory_unavailable": _("Katalogtjänsten svarar inte just nu. Försök igen om en stund."),
    "user_not_found": _("Användaren finns inte i katalogen."),
    "directory_error": _("Katalogtjänsten svarade med ett fel. Försök igen."),
    "unlocked": _("Kontot är upplåst."),
    "removed": _("Registreringen är borttagen."),
    "removed_mailed": _(
        "Registreringen är borttagen och användaren har fått ett e-postmeddelande."
    ),
    "removed_not_mailed": _(
        "Registreringen är borttagen, men e-postmeddelandet till användaren kunde inte skickas."
    ),
    "enrollment_not_found": _("Registreringen finns inte längre."),
}


def message(code: str) -> str:
    return str(MESSAGES.get(code, MESSAGES["directory_error"]))
