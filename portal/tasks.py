from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache


@shared_task(name="portal.ping", ignore_result=True)
def ping(token: str) -> None:
    """Leave a mark in the shared cache: proof that a worker runs tasks."""
    cache.set(f"worker-ping:{token}", time.time(), timeout=300)
