"""Every user-facing Mobilkod message, keyed by a short code (Swedish source text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from identity.protection import LOCKED_OUT_MESSAGE

ERROR_MESSAGES = {
    # Phone numbers (services.sms.phone)
    "phone_empty": _("Skriv in ditt mobilnummer."),
    "phone_country": _("Välj ett land i listan."),
    "phone_letters": _(
        "Mobilnumret får bara innehålla siffror, mellanslag, bindestreck och ett plustecken först."
    ),
    "phone_too_short": _("Mobilnumret är för kort. Kontrollera att du har fått med alla siffror."),
    "phone_too_long": _(
        "Mobilnumret är för långt. Kontrollera att du inte har skrivit en siffra för mycket."
    ),
    "phone_unknown_country_code": _(
        "Landsnumret efter plustecknet finns inte. "
        "Kontrollera numret eller välj ditt land i listan."
    ),
    "phone_invalid": _(
        "Det här är inte ett giltigt mobilnummer för landet du har valt. "
        "Kontrollera numret och landet."
    ),
    "phone_not_mobile": _(
        "Numret går till en fast telefon. Skriv in ett mobilnummer som kan ta emot sms."
    ),
    "phone_country_not_allowed": _(
        "Mobilnummer från det här landet kan inte användas här. Kontakta IT-supporten."
    ),
    # One-time codes (services.sms.codes)
    "code_empty": _("Skriv in koden från sms:et."),
    "code_format": _("Koden får bara innehålla siffror."),
    "code_too_many": _("Du har skrivit fel kod för många gånger. Skicka en ny kod."),
    "code_expired": _("Koden har gått ut. Skicka en ny kod."),
    "code_used": _("Koden har redan använts. Skicka en ny kod om du behöver en."),
    "code_not_found": _("Koden gäller inte längre. Skicka en ny kod."),
    "code_unsent": _("Koden kunde inte skickas. Skicka en ny kod."),
    "rate_limited_send": _("Du har begärt för många koder. Vänta en stund och försök igen."),
    "rate_limited_verify": _("För många försök. Vänta en stund och försök igen."),
    "locked_out": LOCKED_OUT_MESSAGE,
    "sms_budget": _(
        "Det går inte att skicka sms just nu. Försök igen senare, eller använd en annan "
        "identitetstjänst."
    ),
    "flow_expired": _("Din session har gått ut eller är ogiltig. Börja om från startsidan."),
    # Sending (the send state of a challenge)
    "send_queued": _("Koden skickas till %(phone)s. Kolla dina sms och skriv in koden nedan."),
    "send_sent": _("Koden skickades till %(phone)s. Kolla dina sms och skriv in koden nedan."),
    "send_failed_temporary": _(
        "Sms-tjänsten svarar inte just nu, så koden kunde inte skickas till %(phone)s. "
        "Försök igen om en stund."
    ),
    "send_failed_permanent": _(
        "Det gick inte att skicka koden till %(phone)s. Kontrollera att numret stämmer "
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
