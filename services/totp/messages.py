"""Every user-facing message of the authenticator app, keyed by a short code (Swedish source)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from identity.protection import LOCKED_OUT_MESSAGE

ERROR_MESSAGES = {
    "code_empty": _("Skriv in koden från autentiseringsappen."),
    "code_format": _("Koden får bara innehålla siffror."),
    "code_wrong": _(
        "Fel kod. Skriv in koden som autentiseringsappen visar just nu och försök igen."
    ),
    "code_replayed": _(
        "Koden har redan använts. Vänta tills appen visar en ny kod och skriv in den."
    ),
    "code_expired": _(
        "Koden har gått ut. Skriv in koden som appen visar nu. Händer det igen, "
        "kontrollera att telefonens klocka ställs automatiskt."
    ),
    "code_early": _(
        "Koden gäller inte än. Kontrollera att telefonens klocka ställs automatiskt "
        "och försök igen."
    ),
    "locked_out": LOCKED_OUT_MESSAGE,
    "flow_expired": _("Din session har gått ut eller är ogiltig. Börja om från startsidan."),
    "enroll_expired": _(
        "QR-koden gäller inte längre. Lägg till den nya QR-koden nedan i appen och försök igen."
    ),
    "key_unreadable": _(
        "Autentiseringsappen kan inte användas just nu. Använd en annan identitetstjänst "
        "eller kontakta IT-supporten."
    ),
}


def message(code: str, **params) -> str:
    """The translated message for ``code`` with its parameters filled in."""
    if code == "code_length":
        return (
            ngettext(
                "Koden ska vara %(count)d siffra.",
                "Koden ska vara %(count)d siffror.",
                params["count"],
            )
            % params
        )
    if code == "throttled":
        return (
            ngettext(
                "Vänta %(count)d sekund innan du försöker igen.",
                "Vänta %(count)d sekunder innan du försöker igen.",
                params["count"],
            )
            % params
        )
    text = str(ERROR_MESSAGES.get(code, ERROR_MESSAGES["code_wrong"]))
    return text % params if params else text
