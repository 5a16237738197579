"""Checks of RP API v6 request bodies; a bad field is a 400 invalidParameters."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import time
from typing import Any

from services.bankid.pnr import InvalidPersonalNumber, normalize_personal_number

from .orders import ApiError, Order

_TWELVE_DIGITS = re.compile(r"\d{12}")
# Lengths after base64 (the older guideline: 1-40 000 for sign).
MAX_VISIBLE_DATA = 40_000
MAX_NON_VISIBLE_DATA = 200_000
VISIBLE_DATA_FORMATS = ("simpleMarkdownV1", "plaintext")

_ORDER_FIELDS = {
    "endUserIp",
    "requirement",
    "userVisibleData",
    "userVisibleDataFormat",
    "userNonVisibleData",
    "returnUrl",
    "returnRisk",
    "web",
    "app",
}
_PHONE_FIELDS = {
    "personalNumber",
    "callInitiator",
    "requirement",
    "userVisibleData",
    "userVisibleDataFormat",
    "userNonVisibleData",
}
_REQUIREMENT_FIELDS = {"pinCode", "mrtd", "cardReader", "certificatePolicies", "personalNumber"}
_PHONE_REQUIREMENT_FIELDS = {"pinCode", "certificatePolicies"}
_WEB_FIELDS = {"referringDomain", "userAgent", "deviceIdentifier"}
_APP_FIELDS = {"appIdentifier", "deviceOS", "deviceModelName", "deviceIdentifier"}


def order_from_request(kind: str, body: dict[str, Any], *, rp_name: str, strict: bool) -> Order:
    """An Order for an ``/auth``, ``/sign``, ``/phone/auth`` or ``/phone/sign`` body."""
    phone = kind.startswith("phone/")
    if strict:
        _only(body, _PHONE_FIELDS if phone else _ORDER_FIELDS, "")
    requirement = _requirement(body.get("requirement"), phone=phone, strict=strict)
    visible, visible_format = _visible_data(body, required=kind.endswith("sign"))
    _base64(body.get("userNonVisibleData"), "userNonVisibleData", MAX_NON_VISIBLE_DATA)
    common = {
        "kind": kind,
        "created_at": 0.0,
        "created_wall": time.time(),
        "rp_name": rp_name,
        "requirement": requirement,
        "user_visible_data": visible,
        "user_visible_data_format": visible_format,
    }
    if phone:
        initiator = body.get("callInitiator")
        if initiator not in ("user", "RP"):
            raise _invalid("callInitiator must be user or RP")
        return Order(
            **common,
            personal_number=_personal_number(body.get("personalNumber"), "personalNumber"),
            call_initiator=initiator,
        )
    end_user_ip = body.get("endUserIp")
    if not isinstance(end_user_ip, str):
        raise _invalid("endUserIp is required")
    try:
        ipaddress.ip_address(end_user_ip)
    except ValueError:
        raise _invalid("Invalid endUserIp") from None
    return_url = body.get("returnUrl")
    if return_url is not None and (not isinstance(return_url, str) or not return_url.strip()):
        raise _invalid("Invalid returnUrl")
    return_risk = body.get("returnRisk", False)
    if not isinstance(return_risk, bool):
        raise _invalid("Invalid returnRisk")
    web, app = body.get("web"), body.get("app")
    if web is not None and app is not None:
        raise _invalid("Use web or app, not both")
    _device(web, "web", _WEB_FIELDS, strict)
    _device(app, "app", _APP_FIELDS, strict)
    pnr = requirement.get("personalNumber")
    return Order(
        **common,
        personal_number=pnr,
        end_user_ip=end_user_ip,
        return_url=return_url,
        return_risk=return_risk,
    )


def order_ref_from(body: dict[str, Any]) -> str:
    order_ref = body.get("orderRef")
    if not isinstance(order_ref, str) or not order_ref:
        raise _invalid("orderRef is required")
    return order_ref


def _requirement(value: Any, *, phone: bool, strict: bool) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _invalid("Invalid requirement")
    if strict or phone:
        _only(value, _PHONE_REQUIREMENT_FIELDS if phone else _REQUIREMENT_FIELDS, "requirement.")
    for flag in ("pinCode", "mrtd"):
        if flag in value and not isinstance(value[flag], bool):
            raise _invalid(f"Invalid requirement.{flag}")
    if "cardReader" in value and value["cardReader"] not in ("class1", "class2"):
        raise _invalid("Invalid requirement.cardReader")
    policies = value.get("certificatePolicies")
    if policies is not None and (
        not isinstance(policies, list)
        or not all(isinstance(p, str) and re.fullmatch(r"[0-9]+(\.[0-9]+)+", p) for p in policies)
    ):
        raise _invalid("Invalid requirement.certificatePolicies")
    requirement = dict(value)
    if "personalNumber" in value:
        requirement["personalNumber"] = _personal_number(
            value["personalNumber"], "requirement.personalNumber"
        )
    return requirement


def _personal_number(value: Any, name: str) -> str:
    # BankID wants exactly 12 digits; we also check the date and the check digit.
    if not isinstance(value, str) or not _TWELVE_DIGITS.fullmatch(value):
        raise _invalid(f"Invalid {name}")
    try:
        normalize_personal_number(value)
    except InvalidPersonalNumber:
        raise _invalid(f"Invalid {name}") from None
    return value


def _visible_data(body: dict[str, Any], *, required: bool) -> tuple[str | None, str | None]:
    raw = body.get("userVisibleData")
    if raw is None:
        if required:
            raise _invalid("userVisibleData is required")
        if "userVisibleDataFormat" in body:
            raise _invalid("userVisibleDataFormat without userVisibleData")
        return None, None
    decoded = _base64(raw, "userVisibleData", MAX_VISIBLE_DATA)
    try:
        text = decoded.decode("utf-8") if decoded is not None else None
    except UnicodeDecodeError:
        raise _invalid("userVisibleData must be base64 of UTF-8 text") from None
    text_format = body.get("userVisibleDataFormat")
    if text_format is not None and text_format not in VISIBLE_DATA_FORMATS:
        raise _invalid("Invalid userVisibleDataFormat")
    return text, text_format


def _base64(value: Any, name: str, max_length: int) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise _invalid(f"Invalid {name}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(f"{name} must be base64") from None


def _device(value: Any, name: str, fields: set[str], strict: bool) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _invalid(f"Invalid {name}")
    if strict:
        _only(value, fields, f"{name}.")


def _only(mapping: dict[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise _invalid(f"Unknown field {prefix}{unknown[0]}")


def _invalid(details: str) -> ApiError:
    return ApiError("invalidParameters", details)
