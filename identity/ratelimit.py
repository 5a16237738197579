"""Fixed-window rate limits kept in the cache, so every process shares them."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, value: str, window: int) -> str:
    digest = hashlib.sha256(value.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:32]
    bucket = int(time.time() // window)
    return f"rl:{scope}:{digest}:{bucket}"


def hit(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False when ``limit`` attempts were already made in the window."""
    if not value:
        return True
    key = _key(scope, value, window)
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return True
    return count <= limit


def is_limited(scope: str, value: str, *, limit: int, window: int) -> bool:
    """True when ``limit`` attempts were made in the window (does not count one)."""
    if not value:
        return False
    return (cache.get(_key(scope, value, window)) or 0) >= limit


def clear(scope: str, value: str, *, window: int) -> None:
    cache.delete(_key(scope, value, window))
