"""One simulated order, and the two kinds of refusal the simulator gives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

PENDING = "pending"
FAILED = "failed"
COMPLETE = "complete"

KINDS = ("auth", "sign", "phone/auth", "phone/sign")


class ApiError(Exception):
    """An RP API error answer: ``{"errorCode": ..., "details": ...}``."""

    def __init__(self, error_code: str, details: str) -> None:
        super().__init__(f"{error_code}: {details}")
        self.error_code = error_code
        self.details = details


# Refusals on the phone side: (Swedish, English).
PHONE_MESSAGES = {
    "qr_format": (
        "Det där är inte innehållet i en BankID-QR-kod (bankid.<token>.<tid>.<kod>).",
        "That is not the content of a BankID QR code (bankid.<token>.<time>.<code>).",
    ),
    "qr_unknown": (
        "Det finns ingen pågående order för den här QR-koden.",
        "There is no order for this QR code.",
    ),
    "qr_code": (
        "QR-koden är inte äkta: kontrollkoden stämmer inte.",
        "The QR code is not genuine: its code does not match.",
    ),
    "qr_time": (
        "QR-koden är för gammal. Läs av den QR-kod som visas just nu.",
        "The QR code is too old. Scan the QR code that is shown right now.",
    ),
    "not_pending": (
        "Ordern är inte längre aktiv.",
        "The order is no longer active.",
    ),
    "already_open": (
        "Ordern har redan öppnats i en BankID-app.",
        "The order was already opened in a BankID app.",
    ),
    "not_open": (
        "Ordern har inte öppnats i appen än (läs av QR-koden först).",
        "The order has not been opened in the app yet (scan the QR code first).",
    ),
    "no_order": (
        "Det finns ingen pågående order för det här personnumret.",
        "There is no pending order for this personal identity number.",
    ),
    "unknown_order": ("Ordern finns inte.", "No such order."),
    "wrong_person": (
        "Ordern kan bara godkännas av personen med det begärda personnumret.",
        "Only the person with the required personal identity number can approve this order.",
    ),
    "pnr_invalid": (
        "Personnumret är inte giltigt.",
        "The personal identity number is not valid.",
    ),
    "not_phone": (
        "Det här är ingen telefonorder.",
        "This is not a phone order.",
    ),
    "bad_request": ("Ogiltig begäran.", "Invalid request."),
}


class PhoneError(Exception):
    """A refusal on the phone side (page or scripted API), in Swedish and English."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.swedish, self.english = PHONE_MESSAGES[code]


def _uuid() -> str:
    return str(uuid.uuid4())


@dataclass
class Order:
    """The simulator's record of an order. ``created_at`` etc. are clock seconds."""

    kind: str
    created_at: float
    created_wall: float
    rp_name: str
    requirement: dict[str, Any]
    personal_number: str | None = None
    end_user_ip: str | None = None
    call_initiator: str | None = None
    user_visible_data: str | None = None
    user_visible_data_format: str | None = None
    return_url: str | None = None
    return_risk: bool = False
    order_ref: str = field(default_factory=_uuid)
    auto_start_token: str | None = None
    qr_start_token: str | None = None
    qr_start_secret: str | None = field(default=None, repr=False)
    status: str = PENDING
    hint_code: str | None = "outstandingTransaction"
    picked_up_at: float | None = None
    finished_at: float | None = None
    completion: dict[str, Any] | None = field(default=None, repr=False)
    final_collects: int = 0

    def __post_init__(self) -> None:
        if not self.is_phone:
            self.auto_start_token = self.auto_start_token or _uuid()
            self.qr_start_token = self.qr_start_token or _uuid()
            self.qr_start_secret = self.qr_start_secret or _uuid()

    @property
    def is_phone(self) -> bool:
        return self.kind.startswith("phone/")

    @property
    def is_final(self) -> bool:
        return self.status != PENDING

    def start_response(self) -> dict[str, str]:
        if self.is_phone:
            return {"orderRef": self.order_ref}
        return {
            "orderRef": self.order_ref,
            "autoStartToken": self.auto_start_token or "",
            "qrStartToken": self.qr_start_token or "",
            "qrStartSecret": self.qr_start_secret or "",
        }

    def collect_response(self) -> dict[str, Any]:
        body: dict[str, Any] = {"orderRef": self.order_ref, "status": self.status}
        if self.status == COMPLETE:
            body["completionData"] = self.completion
        else:
            body["hintCode"] = self.hint_code
        return body

    def summary(self) -> dict[str, Any]:
        """For ``/sim/orders``: no secret, no completion data."""
        return {
            "orderRef": self.order_ref,
            "kind": self.kind,
            "status": self.status,
            "hintCode": self.hint_code,
            "personalNumber": self.personal_number,
            "rpName": self.rp_name,
            "userVisibleData": self.user_visible_data,
            "autoStartToken": self.auto_start_token,
            "qrStartToken": self.qr_start_token,
            # What the app opens when it is done with an autostarted order.
            "returnUrl": self.return_url,
            "returnRisk": self.return_risk,
            "opened": self.picked_up_at is not None,
        }
