"""Every user-facing passkey message, keyed by a short code (Swedish source text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from identity.protection import LOCKED_OUT_MESSAGE

ERROR_MESSAGES = {
    "cancelled": _(
        "Inloggningen med passkey avbröts, tog för lång tid, eller så hittades ingen "
        "nyckel som hör till kontot. Försök igen, eller välj en annan identitetstjänst."
    ),
    "unsupported": _(
        "Din webbläsare kan inte använda passkeys eller säkerhetsnycklar. Använd en annan "
        "webbläsare, eller välj en annan identitetstjänst."
    ),
    "malformed": _(
        "Svaret från din passkey eller säkerhetsnyckel gick inte att läsa. Försök igen."
    ),
    "expired": _(
        "Tiden för att använda nyckeln gick ut, eller så har svaret redan använts. Försök igen."
    ),
    "wrong_challenge": _(
        "Svaret från nyckeln hör inte till den här inloggningen. Försök igen från den här sidan."
    ),
    "wrong_origin": _(
        "Svaret från nyckeln kom från en annan webbplats än portalen och godtas inte. "
        "Försök igen från den här sidan."
    ),
    "unknown_key": _(
        "Nyckeln du använde är inte registrerad på det här kontot. Den kan ha tagits bort. "
        "Använd en annan nyckel, eller välj en annan identitetstjänst."
    ),
    "invalid": _(
        "Nyckeln kunde inte bekräftas. Försök igen, eller välj en annan identitetstjänst."
    ),
    "no_user_verification": _(
        "Nyckeln bekräftade inte att det var du (pinkod, fingeravtryck eller ansikte). "
        "Försök igen och lås upp nyckeln när du blir ombedd."
    ),
    "clone": _(
        "Nyckeln godtas inte: den kan ha kopierats. Använd en annan nyckel eller identitetstjänst "
        "och kontakta IT-supporten."
    ),
    "already_registered": _("Den här nyckeln är redan registrerad på ditt konto."),
    "too_many_keys": _(
        "Du har redan så många nycklar som går att registrera. "
        "Ta bort en innan du lägger till en ny."
    ),
    "name_empty": _("Skriv ett namn på nyckeln."),
    "name_too_long": _("Namnet får vara högst 64 tecken."),
    "locked_out": LOCKED_OUT_MESSAGE,
    "flow_expired": _("Din session har gått ut eller är ogiltig. Börja om från startsidan."),
}


def message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, ERROR_MESSAGES["invalid"]))
