"""BankID for the portal: the RP API v6 client, messages, personnummer, QR.

Entry points (import from here):

- ``get_bankid_backend()`` -> the configured client (``BANKID_BACKEND``)
- ``BankIDClient``: ``auth``, ``sign``, ``phone_auth``, ``phone_sign``,
  ``collect``, ``cancel``; results ``OrderStarted``, ``CollectResult``
- errors: ``BankIDError`` and its subclasses (``permanent``, ``auto_retry``, ``rfa``)
- ``status_message()`` / ``error_message()`` / ``user_message()``: what to show
- ``normalize_personal_number()``, ``hash_personal_number()``
- ``qr_payload()``, ``qr_svg()``, ``autostart_url()``

The local simulator lives in ``devtools.bankid_simulator``.
"""

from __future__ import annotations

from .backend import BankIDBackend, get_bankid_backend, reset_bankid_backend
from .client import BankIDClient
from .errors import (
    AlreadyInProgressError,
    BankIDError,
    BankIDInvalidResponse,
    BankIDTimeout,
    BankIDTLSError,
    BankIDTransportError,
    InternalError,
    InvalidParametersError,
    MaintenanceError,
    MethodNotAllowedError,
    NotFoundError,
    RequestTimeoutError,
    TooManyRequestsError,
    UnauthorizedError,
    UnknownBankIDError,
    UnsupportedMediaTypeError,
)
from .messages import error_message, status_message, user_message
from .payloads import AppInfo, WebInfo
from .pnr import InvalidPersonalNumber, hash_personal_number, normalize_personal_number
from .qr import autostart_url, qr_payload, qr_svg
from .responses import (
    BankIDUser,
    CollectResult,
    CollectStatus,
    CompletionData,
    DeviceInfo,
    OrderStarted,
    PhoneOrderStarted,
)

__all__ = [
    "AlreadyInProgressError",
    "AppInfo",
    "BankIDBackend",
    "BankIDClient",
    "BankIDError",
    "BankIDInvalidResponse",
    "BankIDTLSError",
    "BankIDTimeout",
    "BankIDTransportError",
    "BankIDUser",
    "CollectResult",
    "CollectStatus",
    "CompletionData",
    "DeviceInfo",
    "InternalError",
    "InvalidParametersError",
    "InvalidPersonalNumber",
    "MaintenanceError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OrderStarted",
    "PhoneOrderStarted",
    "RequestTimeoutError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnknownBankIDError",
    "UnsupportedMediaTypeError",
    "WebInfo",
    "autostart_url",
    "error_message",
    "get_bankid_backend",
    "hash_personal_number",
    "normalize_personal_number",
    "qr_payload",
    "qr_svg",
    "reset_bankid_backend",
    "status_message",
    "user_message",
]
