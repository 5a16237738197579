"""The BankID backend interface and its per-process loader.

``settings.BANKID_BACKEND`` names the class (default
``services.bankid.client.BankIDClient``). Point the same client at the local
simulator with ``BANKID_URL``/``BANKID_CA``/``BANKID_CERT``/``BANKID_KEY``:
there is no fake backend, the simulator speaks the real protocol.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol, runtime_checkable

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from . import conf
from .responses import CollectResult, OrderStarted, PhoneOrderStarted


@runtime_checkable
class BankIDBackend(Protocol):
    """What the portal needs from BankID. Every method raises a BankIDError subclass."""

    def auth(self, end_user_ip: str, **options: Any) -> OrderStarted:
        """Start an identification; see ``BankIDClient.auth`` for the options."""

    def sign(self, end_user_ip: str, user_visible_data: str, **options: Any) -> OrderStarted:
        """Start a signature of ``user_visible_data``."""

    def phone_auth(
        self, personal_number: str, call_initiator: str, **options: Any
    ) -> PhoneOrderStarted:
        """Start an identification of a person on the phone with us."""

    def collect(self, order_ref: str) -> CollectResult:
        """Poll an order (every 2 s while pending)."""

    def cancel(self, order_ref: str) -> None:
        """Cancel a pending order."""

    def close(self) -> None:
        """Release connections."""


_lock = threading.Lock()
_instance: BankIDBackend | None = None


def get_bankid_backend() -> BankIDBackend:
    """The configured backend, built once per process (it pools TLS connections)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = import_string(conf.get_str("BANKID_BACKEND"))()
    return _instance


def reset_bankid_backend(**_kwargs: Any) -> None:
    """Forget the backend; the next call builds a new one (tests, settings changes)."""
    global _instance
    with _lock:
        if _instance is not None:
            _instance.close()
        _instance = None


def _on_setting_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("BANKID_"):
        reset_bankid_backend()


setting_changed.connect(_on_setting_changed)
