"""User-facing directory messages, keyed by the error's ``code``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ERROR_MESSAGES = {
    "wrong_password": _("Fel användarnamn eller lösenord."),
    "account_locked": _(
        "Ditt konto är låst efter för många felaktiga inloggningsförsök. "
        "Välj Nytt lösenord för att låsa upp det, eller vänta en stund och försök igen."
    ),
    "account_disabled": _("Ditt konto är inaktiverat. Kontakta IT-supporten."),
    "account_expired": _("Ditt konto har gått ut. Kontakta IT-supporten."),
    "password_expired": _("Ditt lösenord har gått ut. Byt lösenord för att logga in."),
    "must_change_password": _("Du måste byta lösenord innan du kan logga in."),
    "directory_unavailable": _("Katalogtjänsten svarar inte just nu. Försök igen om en stund."),
    "rate_limited": _("För många försök. Vänta några minuter och försök igen."),
    "policy_violation": _("Lösenordet uppfyller inte lösenordsreglerna."),
    "directory_error": _("Något gick fel. Försök igen."),
}

POLICY_MESSAGES = {
    "too_short": _("Lösenordet är för kort."),
    "complexity": _("Lösenordet uppfyller inte kraven på komplexitet."),
    "history": _("Du har använt det här lösenordet tidigare. Välj ett nytt."),
    "too_young": _("Lösenordet har bytts för nyligen och kan inte bytas igen ännu."),
    "unknown": _("Lösenordet uppfyller inte lösenordsreglerna."),
}


def public_code(error) -> str:
    """The code a visitor who is not logged in is answered with: a locked
    account answers like a wrong password. AD says "locked" (775) whatever
    password is typed, so an answer of its own would tell anyone that the
    name is an account, and that it is locked. The audit keeps the real code."""
    code = getattr(error, "code", "directory_error")
    return "wrong_password" if code == "account_locked" else code


def message_for(error) -> str:
    code = getattr(error, "code", "directory_error")
    if code == "policy_violation":
        return str(
            POLICY_MESSAGES.get(getattr(error, "reason", "unknown"), POLICY_MESSAGES["unknown"])
        )
    return str(ERROR_MESSAGES.get(code, ERROR_MESSAGES["directory_error"]))
