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
    weights = conf.identity_service_weights()
    for entry in conf.identity_services():
        cls = entry["class"]
        cls = import_string(cls) if isinstance(cls, str) else cls
        weight = int(entry.get("weight") or cls.default_weight)
        required = bool(entry.get("required", False))
        if weights is not None:
            if cls.key not in weights:
                continue
            weight, required = weights[cls.key]
        services.append(cls(weight=weight, required=required))
    return tuple(services)


def all_services() -> tuple[IdentityService, ...]:
    return _services()


def get_service(key: str) -> IdentityService | None:
    return next((s for s in _services() if s.key == key), None)


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting in {
        "INSTALLED_APPS",  # the default IDENTITY_SERVICES: the installed service apps
        "IDENTITY_SERVICES",
        "IDENTITY_SERVICES_WEIGHTS",
        "ENROLLMENT_STARS_FULL",
        "RESET_STARS_REQUIRED",
        "RESET_POLICIES",
    }:
        _services.cache_clear()


setting_changed.connect(_on_setting_changed)
