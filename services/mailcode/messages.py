"""Every user-facing E-postkod message, keyed by a short code (Swedish source text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enrollment import codemessages

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
    "mail_budget": _(
        "Det går inte att skicka e-postkoder just nu. Försök igen senare, eller använd en "
        "annan identitetstjänst."
    ),
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
    """The translated message for ``code`` (these, then the core's common
    code messages) with ``%(name)s`` parameters filled in."""
    return codemessages.message(code, ERROR_MESSAGES, **params)
