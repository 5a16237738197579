from __future__ import annotations

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from .base import DirectoryBackend

_lock = threading.Lock()
_instance: DirectoryBackend | None = None


def get_directory() -> DirectoryBackend:
    """The configured directory backend, built once per process (it pools connections)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = import_string(settings.DIRECTORY_BACKEND)()
    return _instance


def reset_directory(**_kwargs) -> None:
    """Forget the backend (tests change settings; the next call builds a new one)."""
    global _instance
    with _lock:
        if _instance is not None:
            _instance.close()
        _instance = None


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith(("LDAP_", "DIRECTORY_")):
        reset_directory()


setting_changed.connect(_on_setting_changed)
