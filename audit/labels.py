"""What each audit event code means, in words: the one list of labels shared by
the helpdesk's user page, the audit trail and the coverage page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "login": _("Inloggning"),
    "logout": _("Utloggning"),
    "admin.view": _("Sida i helpdesken visad"),
    "audit.exported": _("Händelser exporterade"),
    "audit.pruned": _("Gamla händelser rensade"),
    "enrollment.created": _("Identitetstjänst registrerad"),
    "enrollment.changed": _("Identitetstjänst ändrad"),
    "enrollment.removed": _("Identitetstjänst borttagen"),
    "enrollment.reminder_sent": _("Påminnelse om registrering skickad"),
    "policy.created": _("Policy skapad"),
    "policy.changed": _("Policy ändrad"),
    "policy.deleted": _("Policy borttagen"),
    "sms.code_requested": _("Mobilkod begärd"),
    "sms.code_sent": _("Mobilkod skickad"),
    "sms.code_failed": _("Fel mobilkod"),
    "sms.code_verified": _("Mobilkod bekräftad"),
    "sms.enrolled": _("Mobilkod registrerad"),
    "sms.send_failed": _("Mobilkod kunde inte skickas"),
    "sms.rate_limited": _("Mobilkod stoppad: för många försök"),
    "sms.budget_exhausted": _("Mobilkod stoppad: SMS-budgeten slut"),
    "sms.notice_sent": _("Meddelande skickat med SMS"),
    "sms.notice_failed": _("Meddelande med SMS misslyckades"),
    "bankid.order_started": _("BankID-inloggning startad"),
    "bankid.order_failed": _("BankID-inloggning kunde inte startas"),
    "bankid.order_refused": _("BankID-inloggning nekad"),
    "bankid.order_cancelled": _("BankID-inloggning avbruten"),
    "bankid.enroll": _("Mobilt BankID registrerat"),
    "bankid.verify": _("Identifiering med Mobilt BankID"),
    "bankid.helpdesk": _("Kontroll med Mobilt BankID"),
    "bankid.high_risk": _("Mobilt BankID med hög risk"),
    "password.expiry_reminder": _("Påminnelse om lösenord som går ut skickad"),
    "identity.not_me": _("”Det var inte jag”: kontot spärrat"),
    "identity.not_me_refused": _("”Det var inte jag”-länk nekad"),
    "identity.hold_cleared": _("Spärr efter ”Det var inte jag” borttagen"),
    "passkey.registered": _("Passkey eller säkerhetsnyckel registrerad"),
    "passkey.register_failed": _("Passkey kunde inte registreras"),
    "passkey.renamed": _("Passkey fick nytt namn"),
    "passkey.removed": _("Passkey eller säkerhetsnyckel borttagen"),
    "passkey.verified": _("Identifiering med passkey"),
    "passkey.verify_failed": _("Identifiering med passkey misslyckades"),
    "passkey.clone_suspected": _("Passkey nekad: kan vara kopierad"),
    "reset.started": _("Återställning påbörjad"),
    "reset.password_set": _("Nytt lösenord satt"),
    "reset.unlocked": _("Konto upplåst (själv)"),
    "reset.failed": _("Återställning misslyckades"),
    "reset.locked_out": _("Återställning spärrad"),
    "password.changed": _("Lösenord bytt"),
    "protection.proof_refused": _("Identifiering stoppad: spärr"),
    "helpdesk.search": _("Sökning i helpdesken"),
    "helpdesk.user_viewed": _("Användare visad i helpdesken"),
    "helpdesk.unlock": _("Konto upplåst (helpdesk)"),
    "helpdesk.verify_caller": _("Kontroll av den som ringer"),
    "helpdesk.notified": _("Meddelande från helpdesken skickat"),
    "totp.enrolled": _("Autentiseringsapp registrerad"),
    "totp.code_failed": _("Fel kod från autentiseringsapp"),
    "totp.code_verified": _("Kod från autentiseringsapp godkänd"),
    "totp.removed": _("Autentiseringsapp borttagen"),
}


def event_label(action: str) -> str:
    """The label of an event code; an unknown code is shown as it is."""
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action
