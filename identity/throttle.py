"""Durable, atomic sliding-window limits: the storage of every security counter.

Every rate limit and the lockout after failed proofs count here. A row per
(scope, subject) keeps the times of the attempts inside the window; an
attempt is counted only while fewer than ``limit`` are, and several limits
are counted all together or not at all. The row is read and written under
its lock, taken by a write before the read: on PostgreSQL the row lock
(``SELECT … FOR UPDATE`` after an ``INSERT … ON CONFLICT DO NOTHING``), on
SQLite the database's write lock (the insert takes it, and the busy timeout
makes the others wait for it). So parallel requests queue at the counter
instead of all reading the same count, on every supported database.

A window slides: at most ``limit`` attempts in *any* ``window`` seconds,
with no edge that lets twice the limit through.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import OperationalError, transaction

from .models import Throttle

# With IMMEDIATE transactions SQLite says "database is locked" only after its
# busy timeout; one more try covers a writer that held the lock that long.
_LOCKED_RETRIES = 2


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` attempts of ``subject`` in ``scope`` per ``window`` seconds."""

    scope: str
    subject: str
    limit: int
    window: float

    @property
    def key(self) -> str:
        return row_key(self.scope, self.subject)


def row_key(scope: str, subject: str) -> str:
    raw = f"{scope}:{subject}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()


def _live(hits: list, *, now: float, window: float) -> list:
    return sorted(h for h in hits if h[0] > now - window)


def _active(limits: Iterable[Limit]) -> list[Limit]:
    """The limits that apply: a subject to count, and a limit above 0 (0 is
    "off", as for the other numbers an operator can set to 0)."""
    return [lim for lim in limits if lim.subject and lim.limit > 0]


def _locked_rows(keys: dict[str, str]) -> dict[str, Throttle]:
    """The rows of ``keys`` (key -> scope), created if missing, locked until
    the transaction ends. Sorted, so two bursts never wait on each other."""
    Throttle.objects.bulk_create(
        [Throttle(key=k, scope=s[:48]) for k, s in sorted(keys.items())], ignore_conflicts=True
    )
    rows = Throttle.objects.select_for_update().filter(key__in=sorted(keys)).order_by("key")
    return {row.key: row for row in rows}


def _retrying(fn):
    for attempt in range(_LOCKED_RETRIES):
        try:
            return fn()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == _LOCKED_RETRIES - 1:
                raise
            if transaction.get_connection().in_atomic_block:
                raise
            time.sleep(0.05 * (attempt + 1) + secrets.randbelow(50) / 1000)
    raise AssertionError("unreachable")


def attempt(limits: Iterable[Limit], *, token: str = "", now: float | None = None) -> Limit | None:
    """Count one attempt against each of ``limits``, all or none.

    Returns None when it was counted (every limit had room), else the first
    full limit (nothing was counted). ``token`` names the attempt, so that
    ``release`` can take it back (an attempt that turned out not to count).
    Subjects that are empty are not limited.
    """
    limits = _active(limits)
    if not limits:
        return None
    token = token or secrets.token_hex(8)

    def run() -> Limit | None:
        with transaction.atomic():
            rows = _locked_rows({lim.key: lim.scope for lim in limits})
            # The time after the lock: a request that waited for it comes after.
            at = time.time() if now is None else now
            live = {lim.key: _live(rows[lim.key].hits, now=at, window=lim.window) for lim in limits}
            for lim in limits:
                if len(live[lim.key]) >= lim.limit:
                    return lim
            for lim in limits:
                row = rows[lim.key]
                row.hits = [*live[lim.key], [at, token]]
                row.expires_at = max(row.expires_at, at + lim.window)
                row.save(update_fields=["hits", "expires_at"])
        return None

    return _retrying(run)


def add(limit: Limit, *, token: str = "", now: float | None = None) -> int:
    """Count one attempt whatever the count (a failure that happened); returns
    how many are in the window now. Keeps at most ``limit`` of them: more
    would change nothing."""
    if not _active([limit]):
        return 0

    def run() -> int:
        with transaction.atomic():
            row = _locked_rows({limit.key: limit.scope})[limit.key]
            at = time.time() if now is None else now
            hits = [*_live(row.hits, now=at, window=limit.window), [at, token or "-"]]
            row.hits = hits[-max(1, limit.limit) :]
            row.expires_at = max(row.expires_at, at + limit.window)
            row.save(update_fields=["hits", "expires_at"])
            return len(row.hits)

    return _retrying(run)


def release(limit: Limit, token: str) -> bool:
    """Take back the attempt counted with ``token`` (it turned out not to
    count, e.g. a proof that passed). Returns whether it was there."""
    if not (limit.subject and token):
        return False

    def run() -> bool:
        with transaction.atomic():
            row = Throttle.objects.select_for_update().filter(key=limit.key).first()
            if row is None:
                return False
            kept = [h for h in row.hits if h[1] != token]
            if len(kept) == len(row.hits):
                return False
            row.hits = kept
            row.save(update_fields=["hits"])
            return True

    return _retrying(run)


def count(limit: Limit, *, now: float | None = None) -> int:
    """Attempts in the window now (reads only)."""
    if not _active([limit]):
        return 0
    row = Throttle.objects.filter(key=limit.key).only("hits").first()
    at = time.time() if now is None else now
    return len(_live(row.hits, now=at, window=limit.window)) if row else 0


def is_full(limit: Limit, *, now: float | None = None) -> bool:
    return bool(_active([limit])) and count(limit, now=now) >= limit.limit


def retry_after(limit: Limit, *, now: float | None = None) -> int:
    """Seconds until ``limit`` has room for one more attempt (0: it has now)."""
    if not _active([limit]):
        return 0
    row = Throttle.objects.filter(key=limit.key).only("hits").first()
    at = time.time() if now is None else now
    live = _live(row.hits, now=at, window=limit.window) if row else []
    if len(live) < limit.limit:
        return 0
    return max(1, math.ceil(live[len(live) - limit.limit][0] + limit.window - at))


def clear(scope: str, subject: str) -> None:
    Throttle.objects.filter(key=row_key(scope, subject)).delete()


def prune(*, now: float | None = None) -> int:
    """Delete the rows whose every attempt has left its window."""
    at = time.time() if now is None else now
    deleted, _ = Throttle.objects.filter(expires_at__lt=at).delete()
    return deleted
