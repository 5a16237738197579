"""Typed results of the BankID RP API v6 client.

Personal numbers, the QR secret, signatures and device ids are left out of the
dataclasses' ``repr`` so that logging a result does not leak them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import BankIDInvalidResponse
from .qr import Instant, qr_payload


class CollectStatus(StrEnum):
    """``status`` of a collect response (compares equal to the plain strings)."""

    PENDING = "pending"
    FAILED = "failed"
    COMPLETE = "complete"


@dataclass(frozen=True)
class OrderStarted:
    """An order started with ``/auth`` or ``/sign``.

    ``started_at`` is ``time.time()`` when the response arrived: the time base
    of the animated QR code. Keep ``qr_start_secret`` on the server.
    """

    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = field(repr=False)
    started_at: float

    def qr_payload(self, now: Instant | None = None) -> str:
        """The QR content to show at ``now`` (default: now)."""
        return qr_payload(self.qr_start_token, self.qr_start_secret, self.started_at, now)


@dataclass(frozen=True)
class PhoneOrderStarted:
    """An order started with ``/phone/auth`` or ``/phone/sign`` (no QR, no autostart)."""

    order_ref: str
    started_at: float


@dataclass(frozen=True)
class BankIDUser:
    """The person who completed the order."""

    personal_number: str = field(repr=False)
    name: str
    given_name: str
    surname: str


@dataclass(frozen=True)
class DeviceInfo:
    """The device that completed the order, as BankID saw it."""

    ip_address: str
    uhi: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CompletionData:
    """``completionData`` of a complete order. Unknown fields are ignored."""

    user: BankIDUser
    device: DeviceInfo
    bank_id_issue_date: dt.date | None
    signature: str = field(repr=False)
    ocsp_response: str = field(repr=False)
    step_up_mrtd: bool | None = None
    risk: str | None = None


@dataclass(frozen=True)
class CollectResult:
    """One collect response. ``hint_code`` is None when complete."""

    order_ref: str
    status: CollectStatus
    hint_code: str | None = None
    completion: CompletionData | None = None

    @property
    def is_pending(self) -> bool:
        return self.status is CollectStatus.PENDING

    @property
    def is_complete(self) -> bool:
        return self.status is CollectStatus.COMPLETE

    @property
    def is_failed(self) -> bool:
        return self.status is CollectStatus.FAILED


def parse_order_started(data: dict[str, Any], started_at: float) -> OrderStarted:
    return OrderStarted(
        order_ref=_str(data, "orderRef"),
        auto_start_token=_str(data, "autoStartToken"),
        qr_start_token=_str(data, "qrStartToken"),
        qr_start_secret=_str(data, "qrStartSecret"),
        started_at=started_at,
    )


def parse_phone_order_started(data: dict[str, Any], started_at: float) -> PhoneOrderStarted:
    return PhoneOrderStarted(order_ref=_str(data, "orderRef"), started_at=started_at)


def parse_collect(data: dict[str, Any]) -> CollectResult:
    try:
        status = CollectStatus(_str(data, "status"))
    except ValueError:
        raise BankIDInvalidResponse("collect: unknown status") from None
    completion = None
    if status is CollectStatus.COMPLETE:
        completion = _parse_completion(_dict(data, "completionData"))
    hint = data.get("hintCode")
    if status is not CollectStatus.COMPLETE and not isinstance(hint, str):
        # BankID always sends a hint while pending or failed; be lenient and
        # let the message table treat it as an unknown hint.
        hint = None
    return CollectResult(
        order_ref=_str(data, "orderRef"),
        status=status,
        hint_code=hint if status is not CollectStatus.COMPLETE else None,
        completion=completion,
    )


def _parse_completion(data: dict[str, Any]) -> CompletionData:
    user = _dict(data, "user")
    device = data.get("device") if isinstance(data.get("device"), dict) else {}
    step_up = data.get("stepUp") if isinstance(data.get("stepUp"), dict) else {}
    issue_date = None
    if isinstance(data.get("bankIdIssueDate"), str):
        try:
            issue_date = dt.date.fromisoformat(data["bankIdIssueDate"])
        except ValueError:
            issue_date = None
    mrtd = step_up.get("mrtd")
    risk = data.get("risk")
    return CompletionData(
        user=BankIDUser(
            personal_number=_str(user, "personalNumber"),
            name=str(user.get("name", "")),
            given_name=str(user.get("givenName", "")),
            surname=str(user.get("surname", "")),
        ),
        device=DeviceInfo(
            ip_address=str(device.get("ipAddress", "")),
            uhi=device.get("uhi") if isinstance(device.get("uhi"), str) else None,
        ),
        bank_id_issue_date=issue_date,
        signature=str(data.get("signature", "")),
        ocsp_response=str(data.get("ocspResponse", "")),
        step_up_mrtd=mrtd if isinstance(mrtd, bool) else None,
        risk=risk if isinstance(risk, str) else None,
    )


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise BankIDInvalidResponse(f"missing or invalid field {key!r}")
    return value


def _dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise BankIDInvalidResponse(f"missing or invalid field {key!r}")
    return value
