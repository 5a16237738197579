from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache


@shared_task(name="portal.ping", ignore_result=True)
def ping(token: str) -> None:
    """Leave a mark in the shared cache: proof that a worker runs tasks."""
    cache.set(f"worker-ping:{token}", time.time(), timeout=300)


@shared_task(name="portal.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    """Remove expired sessions (with the proof flows kept in them)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
