"""What to tell the user while a BankID order runs: BankID's recommended messages (RFA).

``status_message()`` picks the message code for a collect result and
``error_message()`` for an HTTP error; ``user_message()`` gives the translated
text. Swedish is the source language; ``ENGLISH`` holds the English texts for
``locale/en`` (kept here so a test can check that every code has both).

Codes starting with ``RFA`` are BankID's. The few ``PORTAL_*`` codes are ours,
for hint codes that BankID gives no recommended text for.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: RFA code -> Swedish source text (translated through gettext).
MESSAGES = {
    "RFA1": _("Starta BankID-appen."),
    "RFA2": _("Du har inte BankID-appen installerad. Kontakta din bank."),
    "RFA3": _("Åtgärden avbruten. Försök igen."),
    "RFA4": _(
        "En identifiering eller underskrift för det här personnumret är redan påbörjad. "
        "Försök igen."
    ),
    "RFA5": _("Något gick fel. Försök igen."),
    "RFA6": _("Åtgärden avbröts."),
    "RFA8": _(
        "BankID-appen svarar inte. Kontrollera att den är startad och att du har "
        "internetanslutning. Om du inte har ett giltigt BankID kan du skaffa ett hos din "
        "bank. Försök sedan igen."
    ),
    "RFA9": _("Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."),
    "RFA13": _("Försöker starta BankID-appen."),
    "RFA15A": _(
        "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här datorn. "
        "Om du har ett BankID på kort, sätt in kortet i kortläsaren."
    ),
    "RFA15B": _("Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här enheten."),
    "RFA16": _(
        "Ditt BankID är för gammalt eller spärrat. Använd ett annat BankID eller skaffa "
        "ett nytt hos din bank."
    ),
    "RFA17A": _(
        "Du verkar inte ha BankID-appen/programmet. Installera den och skaffa ett BankID "
        "hos din bank."
    ),
    # BankID's official RFA17B adds advice to update or install the app
    # (install.bankid.com); its exact wording was not available offline.
    "RFA17B": _("Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden."),
    "RFA19": _("Vill du använda BankID på den här datorn eller ett Mobilt BankID?"),
    "RFA20": _("Vill du använda BankID på den här enheten eller på en annan enhet?"),
    "RFA21": _("En identifiering eller underskrift pågår."),
    "RFA22": _("Något gick fel. Försök igen."),
    "RFA23": _("Fotografera och läs av din ID-handling med BankID-appen."),
    # Ours: BankID has no recommended text for these hint codes.
    "PORTAL_CALL_CONFIRM": _("Bekräfta i BankID-appen att du pratar med oss i telefon."),
    "PORTAL_UPDATE_APP": _("Din BankID-app behöver uppdateras. Uppdatera appen och försök igen."),
}

#: RFA code -> English text (for locale/en/LC_MESSAGES/django.po).
ENGLISH = {
    "RFA1": "Start your BankID app.",
    "RFA2": "The BankID app is not installed. Please contact your bank.",
    "RFA3": "The action was cancelled. Please try again.",
    "RFA4": (
        "An identification or signing for this personal number is already started. "
        "Please try again."
    ),
    "RFA5": "Something went wrong. Please try again.",
    "RFA6": "The action was cancelled.",
    "RFA8": (
        "The BankID app is not responding. Check that it is started and that you have "
        "internet access. If you don't have a valid BankID you can get one from your bank. "
        "Try again."
    ),
    "RFA9": "Enter your security code in the BankID app and select Identify or Sign.",
    "RFA13": "Trying to start your BankID app.",
    "RFA15A": (
        "Searching for BankID. Make sure you have a valid BankID on this computer. "
        "If you have a BankID on card, insert it into your card reader."
    ),
    "RFA15B": "Searching for BankID. Make sure you have a valid BankID on this device.",
    "RFA16": (
        "Your BankID is blocked or too old. Use another BankID or get a new one from your bank."
    ),
    "RFA17A": (
        "You don't seem to have the BankID app/program. Install it and get a BankID from your bank."
    ),
    "RFA17B": "Failed to scan the QR code. Start the BankID app and scan the QR code.",
    "RFA19": "Would you like to use BankID on this computer, or a Mobile BankID?",
    "RFA20": "Do you want to use BankID on this device or on another device?",
    "RFA21": "An identification or signing is in progress.",
    "RFA22": "Something went wrong. Please try again.",
    "RFA23": "Take a photo of, and scan, your ID document with the BankID app.",
    "PORTAL_CALL_CONFIRM": "Confirm in the BankID app that you are on the phone with us.",
    "PORTAL_UPDATE_APP": "Your BankID app needs to be updated. Update the app and try again.",
}

PENDING = "pending"
FAILED = "failed"
COMPLETE = "complete"

#: Every hint code of RP API v6 that the portal knows, by status.
PENDING_HINTS = frozenset(
    {"outstandingTransaction", "noClient", "started", "userMrtd", "userCallConfirm", "userSign"}
)
FAILED_HINTS = frozenset(
    {
        "expiredTransaction",
        "certificateErr",
        "userCancel",
        "cancelled",
        "startFailed",
        "userDeclinedCall",
        "notSupportedByUserApp",
        "transactionRiskBlocked",
    }
)

_FIXED_PENDING = {
    "noClient": "RFA1",
    "userMrtd": "RFA23",
    "userCallConfirm": "PORTAL_CALL_CONFIRM",
    "userSign": "RFA9",
}
_FIXED_FAILED = {
    "expiredTransaction": "RFA8",
    "certificateErr": "RFA16",
    "userCancel": "RFA6",
    "cancelled": "RFA3",
    # The user told the app they are not on a call with us: they cancelled.
    "userDeclinedCall": "RFA6",
    "notSupportedByUserApp": "PORTAL_UPDATE_APP",
    # Saying why the risk check blocked would help a fraudster; stay generic.
    "transactionRiskBlocked": "RFA22",
}
_ERRORS = {
    "alreadyInProgress": "RFA4",
    "requestTimeout": "RFA5",
    "maintenance": "RFA5",
    "internalError": "RFA5",
    "tooManyRequests": "RFA5",
    "transport": "RFA5",
}


def status_message(
    status: str, hint_code: str | None, *, qr_shown: bool, on_mobile: bool = False
) -> str | None:
    """The message code to show for a collect result, or None when complete.

    ``qr_shown``: the user was shown the QR code (another device); False when
    the app was started with autostart on this device. ``on_mobile``: the
    user's browser runs on a phone or tablet (RFA15B instead of RFA15A).
    Unknown pending hints give RFA21, unknown failed hints (and unknown
    statuses) RFA22.
    """
    if status == COMPLETE:
        return None
    if status == PENDING:
        if hint_code == "outstandingTransaction":
            return "RFA1" if qr_shown else "RFA13"
        if hint_code == "started":
            return "RFA15B" if on_mobile else "RFA15A"
        return _FIXED_PENDING.get(hint_code or "", "RFA21")
    if status == FAILED:
        if hint_code == "startFailed":
            return "RFA17B" if qr_shown else "RFA17A"
        return _FIXED_FAILED.get(hint_code or "", "RFA22")
    return "RFA22"


def error_message(error_code: str) -> str:
    """The message code for an HTTP errorCode (``transport`` for network trouble)."""
    return _ERRORS.get(error_code, "RFA22")


def user_message(code: str):
    """The translated text for a message code (a lazy string)."""
    return MESSAGES.get(code, MESSAGES["RFA22"])
