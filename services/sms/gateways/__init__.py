"""SMS gateways, chosen by ``settings.SMS_BACKEND`` like Django's EMAIL_BACKEND."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from .. import conf
from .base import HttpGatewayBackend, SmsBackend, SmsError
from .fortysixelks import FortySixElksBackend
from .local import ConsoleBackend, LocmemBackend, SmsMessage, outbox
from .twilio import TwilioBackend
from .webhook import HttpBackend

__all__ = [
    "ConsoleBackend",
    "FortySixElksBackend",
    "HttpBackend",
    "HttpGatewayBackend",
    "LocmemBackend",
    "SmsBackend",
    "SmsError",
    "SmsMessage",
    "TwilioBackend",
    "get_sms_backend",
    "outbox",
]


@lru_cache(maxsize=4)
def _load(path: str) -> SmsBackend:
    return import_string(path)()


def get_sms_backend() -> SmsBackend:
    """The backend named by ``settings.SMS_BACKEND``, built once per process."""
    return _load(conf.backend_path())


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("SMS_"):
        _load.cache_clear()


setting_changed.connect(_on_setting_changed)
