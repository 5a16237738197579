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
    "email.code_requested": _("E-postkod begärd"),
    "email.code_sent": _("E-postkod skickad"),
    "email.code_failed": _("Fel e-postkod"),
    "email.code_verified": _("E-postkod bekräftad"),
    "email.enrolled": _("E-postkod registrerad"),
    "email.address_refused": _("E-postadress nekad"),
    "email.send_failed": _("E-postkod kunde inte skickas"),
    "email.rate_limited": _("E-postkod stoppad: för många försök"),
    "email.budget_exhausted": _("E-postkod stoppad: budgeten slut"),
    "email.notice_sent": _("Meddelande skickat med e-post"),
    "email.notice_failed": _("Meddelande med e-post misslyckades"),
    "bankid.order_started": _("BankID-inloggning startad"),
    "bankid.order_failed": _("BankID-inloggning kunde inte startas"),
    "bankid.order_refused": _("BankID-inloggning nekad"),
    "bankid.order_cancelled": _("BankID-inloggning avbruten"),
    "bankid.enroll": _("Mobilt BankID registrerat"),
    "bankid.verify": _("Identifiering med Mobilt BankID"),
    "bankid.helpdesk": _("Kontroll med Mobilt BankID"),
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
}


def event_label(action: str) -> str:
    """The label of an event code; an unknown code is shown as it is."""
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action
