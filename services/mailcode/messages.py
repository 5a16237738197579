"""Every user-facing E-postkod message, keyed by a short code (Swedish source text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from identity.protection import LOCKED_OUT_MESSAGE

ERROR_MESSAGES = {
    # Addresses (services.mailcode.address)
    "address_empty": _("Skriv in din privata e-postadress."),
    "address_too_long": _("E-postadressen är för lång. Kontrollera vad du har skrivit."),
    "address_invalid": _(
        "Det här är inte en giltig e-postadress. Den ska se ut som namn@exempel.se."
    ),
    "address_own_domain": _(
        "Adresser på %(domain)s går till organisationens egen e-post, som du kanske inte "
        "kommer åt när ditt konto är låst. Skriv in en privat e-postadress."
    ),
    # One-time codes
    "code_empty": _("Skriv in koden från e-postmeddelandet."),
    "code_format": _("Koden får bara innehålla siffror."),
    "code_too_many": _("Du har skrivit fel kod för många gånger. Skicka en ny kod."),
    "code_expired": _("Koden har gått ut. Skicka en ny kod."),
    "code_used": _("Koden har redan använts. Skicka en ny kod om du behöver en."),
    "code_not_found": _("Koden gäller inte längre. Skicka en ny kod."),
    "rate_limited_send": _("Du har begärt för många koder. Vänta en stund och försök igen."),
    "rate_limited_verify": _("För många försök. Vänta en stund och försök igen."),
    "locked_out": LOCKED_OUT_MESSAGE,
    "mail_budget": _(
        "Det går inte att skicka e-postkoder just nu. Försök igen senare, eller använd en "
        "annan identitetstjänst."
    ),
    "flow_expired": _("Din session har gått ut eller är ogiltig. Börja om från startsidan."),
    # Sending (the send state of a challenge)
    "send_queued": _("Koden skickas till %(address)s. Kolla din e-post och skriv in koden nedan."),
    "send_sent": _(
        "Koden skickades till %(address)s. Kolla din e-post (och skräpposten) och skriv in "
        "koden nedan."
    ),
    "send_failed_temporary": _(
        "E-postservern svarar inte just nu, så koden kunde inte skickas till %(address)s. "
        "Försök igen om en stund."
    ),
    "send_failed_permanent": _(
        "Det gick inte att skicka koden till %(address)s. Kontrollera att adressen stämmer "
        "och försök igen. Kontakta IT-supporten om felet består."
    ),
}


def message(code: str, **params) -> str:
    """The translated message for ``code`` with ``%(name)s`` parameters filled in."""
    if code == "code_length":
        return (
            ngettext(
                "Koden ska vara %(count)d siffra.",
                "Koden ska vara %(count)d siffror.",
                params["count"],
            )
            % params
        )
    if code == "code_wrong":
        return (
            ngettext(
                "Fel kod. Du har %(count)d försök kvar.",
                "Fel kod. Du har %(count)d försök kvar.",
                params["count"],
            )
            % params
        )
    if code == "cooldown":
        return (
            ngettext(
                "Vänta %(count)d sekund innan du skickar koden igen.",
                "Vänta %(count)d sekunder innan du skickar koden igen.",
                params["count"],
            )
            % params
        )
    text = str(ERROR_MESSAGES.get(code, ERROR_MESSAGES["code_not_found"]))
    return text % params if params else text
