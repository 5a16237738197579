"""Every user-facing Mobilkod message, keyed by a short code (Swedish source text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enrollment import codemessages

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
    "code_unsent": _("Koden kunde inte skickas. Skicka en ny kod."),
    "sms_budget": _(
        "Det går inte att skicka sms just nu. Försök igen senare, eller använd en annan "
        "identitetstjänst."
    ),
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
    """The translated message for ``code`` (these, then the core's common
    code messages) with ``%(name)s`` parameters filled in."""
    return codemessages.message(code, ERROR_MESSAGES, **params)
