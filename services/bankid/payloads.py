"""JSON bodies of the RP API v6 requests, built from keyword arguments.

In v6 ``personalNumber`` sits inside ``requirement`` for ``/auth`` and
``/sign``, and at the top level for the phone endpoints.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_TWELVE_DIGITS = re.compile(r"\d{12}")
CALL_INITIATORS = ("user", "RP")


@dataclass(frozen=True)
class WebInfo:
    """``web``: the browser that starts the order (for BankID's risk assessment)."""

    referring_domain: str
    user_agent: str
    device_identifier: str

    def to_json(self) -> dict[str, str]:
        return {
            "referringDomain": self.referring_domain,
            "userAgent": self.user_agent,
            "deviceIdentifier": self.device_identifier,
        }


@dataclass(frozen=True)
class AppInfo:
    """``app``: the native app that starts the order."""

    app_identifier: str
    device_os: str
    device_model_name: str
    device_identifier: str

    def to_json(self) -> dict[str, str]:
        return {
            "appIdentifier": self.app_identifier,
            "deviceOS": self.device_os,
            "deviceModelName": self.device_model_name,
            "deviceIdentifier": self.device_identifier,
        }


def order_body(
    end_user_ip: str,
    *,
    personal_number: str | None = None,
    user_visible_data: str | None = None,
    user_visible_data_format: str | None = None,
    user_non_visible_data: bytes | None = None,
    return_url: str | None = None,
    return_risk: bool | None = None,
    web: WebInfo | Mapping[str, str] | None = None,
    app: AppInfo | Mapping[str, str] | None = None,
    pin_code: bool | None = None,
    mrtd: bool | None = None,
    card_reader: str | None = None,
    certificate_policies: list[str] | None = None,
) -> dict[str, Any]:
    """The body of ``/auth`` and ``/sign``."""
    if not end_user_ip:
        raise ValueError("end_user_ip is required")
    body: dict[str, Any] = {"endUserIp": end_user_ip}
    requirement = _requirement(
        personal_number=personal_number,
        pin_code=pin_code,
        mrtd=mrtd,
        card_reader=card_reader,
        certificate_policies=certificate_policies,
    )
    if requirement:
        body["requirement"] = requirement
    body.update(_visible_data(user_visible_data, user_visible_data_format, user_non_visible_data))
    if return_url is not None:
        body["returnUrl"] = return_url
    if return_risk is not None:
        body["returnRisk"] = bool(return_risk)
    if web is not None:
        body["web"] = web.to_json() if isinstance(web, WebInfo) else dict(web)
    if app is not None:
        body["app"] = app.to_json() if isinstance(app, AppInfo) else dict(app)
    return body


def phone_body(
    personal_number: str,
    call_initiator: str,
    *,
    user_visible_data: str | None = None,
    user_visible_data_format: str | None = None,
    user_non_visible_data: bytes | None = None,
    pin_code: bool | None = None,
    certificate_policies: list[str] | None = None,
) -> dict[str, Any]:
    """The body of ``/phone/auth`` and ``/phone/sign`` (no endUserIp)."""
    check_personal_number(personal_number)
    if call_initiator not in CALL_INITIATORS:
        raise ValueError('call_initiator must be "user" or "RP"')
    body: dict[str, Any] = {"personalNumber": personal_number, "callInitiator": call_initiator}
    requirement = _requirement(
        personal_number=None,
        pin_code=pin_code,
        mrtd=None,
        card_reader=None,
        certificate_policies=certificate_policies,
    )
    if requirement:
        body["requirement"] = requirement
    body.update(_visible_data(user_visible_data, user_visible_data_format, user_non_visible_data))
    return body


def check_personal_number(value: str) -> None:
    """Raise ValueError unless ``value`` is 12 digits (the message omits the value)."""
    if not isinstance(value, str) or not _TWELVE_DIGITS.fullmatch(value):
        raise ValueError("personal_number must be 12 digits (use pnr.normalize_personal_number)")


def _requirement(
    *,
    personal_number: str | None,
    pin_code: bool | None,
    mrtd: bool | None,
    card_reader: str | None,
    certificate_policies: list[str] | None,
) -> dict[str, Any]:
    requirement: dict[str, Any] = {}
    if pin_code is not None:
        requirement["pinCode"] = bool(pin_code)
    if mrtd is not None:
        requirement["mrtd"] = bool(mrtd)
    if card_reader is not None:
        requirement["cardReader"] = card_reader
    if certificate_policies is not None:
        requirement["certificatePolicies"] = list(certificate_policies)
    if personal_number is not None:
        check_personal_number(personal_number)
        requirement["personalNumber"] = personal_number
    return requirement


def _visible_data(
    text: str | None, text_format: str | None, non_visible: bytes | None
) -> dict[str, str]:
    # BankID wants base64 of the UTF-8 text; callers give plain text.
    fields: dict[str, str] = {}
    if text:
        fields["userVisibleData"] = base64.b64encode(text.encode("utf-8")).decode("ascii")
        if text_format:
            fields["userVisibleDataFormat"] = text_format
    if non_visible:
        fields["userNonVisibleData"] = base64.b64encode(non_visible).decode("ascii")
    return fields
