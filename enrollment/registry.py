"""The identity services configured in ``settings.IDENTITY_SERVICES``."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from . import conf
from .base import IdentityService


@lru_cache(maxsize=1)
def _services() -> tuple[IdentityService, ...]:
    services = []
    for entry in conf.identity_services():
        cls = import_string(entry["class"])
        services.append(
            cls(weight=int(entry.get("weight", 1)), required=bool(entry.get("required", False)))
        )
    return tuple(services)


def all_services() -> tuple[IdentityService, ...]:
    return _services()


def get_service(key: str) -> IdentityService | None:
    return next((s for s in _services() if s.key == key), None)


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting in {"IDENTITY_SERVICES", "ENROLLMENT_STARS_FULL", "RESET_STARS_REQUIRED"}:
        _services.cache_clear()


setting_changed.connect(_on_setting_changed)
