"""The batch collector: worker processes collect due orders in batches.

Every pending order has ``next_collect_at``. A collector run (the Celery task
``bankid.collect_due``, in whichever worker process takes it) claims the due
orders in batches with one statement each: an ``UPDATE … WHERE id IN (SELECT
… FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …`` on PostgreSQL, the same
statement without the row locks on SQLite (which runs one writing statement at
a time, so it is just as exclusive). Claiming swaps the order's
``collect_token`` for the batch's (the compare-and-set every later write of
this batch checks) and moves ``next_collect_at`` on by one interval: a worker
that dies mid-batch leaves its orders due again for any other within one
interval, and no two runs ever claim an order at once.

The claimed orders are collected over the process's pooled keep-alive
session to BankID (a small thread pool overlaps the round trips, all on the
one ``BankIDClient``); what changed is written with as few statements as
possible (one UPDATE for new hint codes, one for retried errors; an order
that ends goes through ``collect.settle_collect`` one by one, the same code
``collect_once`` uses). An order that is still pending and unchanged costs no
write at all beyond the claim. Its "last collected" time goes to the cache in
one write per batch, for the status poll to see that collects go on.

How many runs there are: collector *slots* (``BANKID_COLLECTOR_SLOTS``), at
most one run chain per slot, cluster-wide, held by a lease in the cache. Slot
0 runs while any order is pending (started by ``start_order``, by a status
poll that finds an order stalled, and by beat every few seconds, so a chain
that died with its worker comes back within the lease). A run that finds a
full batch still due after its time budget (it is falling behind) starts the
next slot; a run of a higher slot that finds nothing due ends. Each run lasts
at most ``BANKID_COLLECTOR_RUN_SECONDS`` and then queues its own successor,
so other tasks (SMS, e-mail) are never starved of a worker slot.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, F, Value, When

from . import conf, get_bankid_backend
from .errors import BankIDError
from .models import BankIDOrder
from .orders import abandon_seconds, collect_interval, poll_key, publish_orders, seen_key

logger = logging.getLogger(__name__)
Status = BankIDOrder.Status


@dataclass(frozen=True)
class Claimed:
    """A claimed order: only what a collect needs (the full row is loaded
    only for the few orders that end)."""

    pk: uuid.UUID
    order_ref: str
    hint_code: str
    started_at: float
    error_count: int


# --- claiming ------------------------------------------------------------------


def claim_due(
    *, limit: int, now: float | None = None, early: float = 0.0
) -> tuple[str, list[Claimed]]:
    """Claim up to ``limit`` pending orders due by ``now + early``, oldest due
    first. Returns the batch's token (every claimed order's ``collect_token``
    now) and the orders. One statement; safe between any number of processes."""
    now = time.time() if now is None else now
    token = secrets.token_hex(8)
    table = connection.ops.quote_name(BankIDOrder._meta.db_table)
    # Only names from the model and a fixed clause go into the text; values are parameters.
    skip_locked = connection.features.has_select_for_update_skip_locked
    lock = " FOR UPDATE SKIP LOCKED" if skip_locked else ""
    sql = (
        f"UPDATE {table} SET collect_token = %s, last_collect_at = %s, "  # noqa: S608
        "next_collect_at = %s, collect_count = collect_count + 1 "
        f"WHERE id IN (SELECT id FROM {table} WHERE status = %s AND next_collect_at <= %s "
        f"ORDER BY next_collect_at LIMIT %s{lock}) "
        "RETURNING id, order_ref, hint_code, started_at, error_count"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql, [token, now, now + collect_interval(), Status.PENDING, now + early, limit]
        )
        rows = cursor.fetchall()
    return token, [
        Claimed(uuid.UUID(str(pk)), ref, hint or "", started, errors)
        for pk, ref, hint, started, errors in rows
    ]


# --- collecting ------------------------------------------------------------------

_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _executor() -> ThreadPoolExecutor | None:
    """The process's collect threads (made after a fork, never inherited)."""
    global _pool
    threads = int(conf.get("BANKID_COLLECT_THREADS"))
    if threads <= 1:
        return None
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(threads, thread_name_prefix="bankid-collect"))
        return _pool[1]


def _collect(order_ref: str):
    try:
        return get_bankid_backend().collect(order_ref)
    except BankIDError as exc:
        return exc


def collect_refs(refs: list[str]) -> list:
    """``/collect`` of each order: a CollectResult or the BankIDError, in order."""
    pool = _executor() if len(refs) > 1 else None
    if pool is None:
        return [_collect(ref) for ref in refs]
    return list(pool.map(_collect, refs))


def _load(claimed: Claimed, token: str) -> BankIDOrder | None:
    """The full row of an order this batch still holds."""
    return BankIDOrder.objects.filter(
        pk=claimed.pk, status=Status.PENDING, collect_token=token
    ).first()


def collect_batch(*, limit: int | None = None) -> int:
    """Claim one batch of due orders, collect them, write what changed.
    Returns how many orders were claimed (0: nothing was due)."""
    from .collect import MAX_TRANSIENT_ERRORS, settle_abandoned, settle_collect

    limit = int(limit or conf.get("BANKID_COLLECT_BATCH"))
    # Up to half the idle wait early: the next run comes that much later, so
    # an order is collected on time on average instead of always late.
    early = float(conf.get("BANKID_COLLECTOR_IDLE_WAIT")) / 2
    token, claimed = claim_due(limit=limit, early=early)
    if not claimed:
        return 0
    now = time.time()
    marks = cache.get_many([poll_key(c.pk) for c in claimed])
    live: list[Claimed] = []
    for c in claimed:
        last = marks.get(poll_key(c.pk))
        if now - (last if last is not None else c.started_at) > abandon_seconds():
            order = _load(c, token)
            if order is not None:
                settle_abandoned(order)
        else:
            live.append(c)
    results = collect_refs([c.order_ref for c in live])
    hints: dict[uuid.UUID, str] = {}
    retried: list[uuid.UUID] = []
    for c, result in zip(live, results, strict=True):
        if isinstance(result, BankIDError):
            if result.auto_retry and c.error_count < MAX_TRANSIENT_ERRORS:
                logger.info("bankid collect %s: %s, retrying", c.pk, result.error_code)
                retried.append(c.pk)
                continue
        elif result.is_pending:
            if result.hint_code and result.hint_code != c.hint_code:
                hints[c.pk] = result.hint_code
            continue
        order = _load(c, token)
        if order is not None:
            settle_collect(order, result)  # the order ends (or its error does)
    mine = BankIDOrder.objects.filter(status=Status.PENDING, collect_token=token)
    if hints:
        with transaction.atomic():
            mine.filter(pk__in=list(hints)).update(
                hint_code=Case(*(When(pk=pk, then=Value(h)) for pk, h in hints.items()))
            )
            transaction.on_commit(lambda: publish_orders(list(hints)))
    if retried:
        mine.filter(pk__in=retried).update(error_count=F("error_count") + 1)
    cache.set_many({seen_key(c.pk): now for c in live}, timeout=int(abandon_seconds() * 4) + 60)
    return len(claimed)


def next_due() -> float | None:
    """When the next pending order is due (None: nothing is pending)."""
    return (
        BankIDOrder.objects.filter(status=Status.PENDING, next_collect_at__isnull=False)
        .order_by("next_collect_at")
        .values_list("next_collect_at", flat=True)
        .first()
    )


# --- runs and slots --------------------------------------------------------------


def _slot_key(slot: int) -> str:
    return f"bankid:collector:{slot}"


def lease_seconds() -> int:
    """How long a slot stays taken by a run nobody has heard from."""
    return int(collect_interval() * 2 + 2)


def start_collector(*, slot: int = 0, countdown: float = 0.0, force: bool = False) -> bool:
    """Queue a run for ``slot`` unless one holds it (``force``: take the slot
    over anyway: an order has stalled, so its holder is not collecting; if it
    still lives, it sees the new holder and stops). True when one was queued.
    Inline tasks (the tests without a worker) never start one: they drive
    ``collect_once`` themselves."""
    from .tasks import collect_due

    app = collect_due.app
    if app.conf.task_always_eager:
        return False
    run = secrets.token_hex(8)
    timeout = lease_seconds() + int(countdown)
    if force:
        cache.set(_slot_key(slot), run, timeout=timeout)
    elif not cache.add(_slot_key(slot), run, timeout=timeout):
        return False
    collect_due.apply_async((slot, run), countdown=max(0.0, countdown))
    return True


def ensure_collector(*, countdown: float = 0.0, force: bool = False) -> None:
    """Slot 0 runs (after this transaction commits)."""
    transaction.on_commit(lambda: start_collector(slot=0, countdown=countdown, force=force))


def run_collector(*, slot: int, run: str) -> str:
    """One run of a slot's chain: batches until nothing is due or the time
    budget is spent, then the successor. Returns what it did (for the log)."""
    from .tasks import collect_due

    key = _slot_key(slot)
    holder = cache.get(key)
    if holder is not None and holder != run:
        return "duplicate"  # another chain holds the slot
    budget = float(conf.get("BANKID_COLLECTOR_RUN_SECONDS"))
    limit = int(conf.get("BANKID_COLLECT_BATCH"))
    started = time.monotonic()
    collected, full = 0, False
    while True:
        cache.set(key, run, timeout=lease_seconds())
        count = collect_batch(limit=limit)
        collected += count
        full = count >= limit
        if not count or time.monotonic() - started >= budget:
            break
    due = next_due()
    if due is None or (slot > 0 and not collected):
        cache.delete(key)  # the last one out releases the slot (a race only costs a run)
        return f"slot {slot}: {collected} collected, done"
    if full and slot + 1 < int(conf.get("BANKID_COLLECTOR_SLOTS")):
        start_collector(slot=slot + 1)  # falling behind: one more run in parallel
    wait = max(0.0, due - time.time())
    if not full:
        # Gather what comes due shortly into one batch rather than a run each.
        wait = max(wait, float(conf.get("BANKID_COLLECTOR_IDLE_WAIT")))
    cache.set(key, run, timeout=lease_seconds() + int(wait) + 1)
    collect_due.apply_async((slot, run), countdown=wait)
    return f"slot {slot}: {collected} collected, next in {wait:.2f} s"
