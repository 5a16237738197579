"""Where the CPU of one collect goes (``python -m bench --only collect_profile``).

``collect_once`` (one order per call, the old per-message collect) and
``collect_batch`` (the batch collector's unit of work) run in this process
under cProfile with a CPU-time clock, against the bench's PostgreSQL, Redis
and the simulator. Each function's own CPU time is put in a bucket by the
module it lives in: the ORM and the PostgreSQL driver, the cache (Redis),
HTTP (requests/urllib3/http.client), TLS (ssl), JSON, the Celery message
(celery/kombu), our own code, and the rest. The Celery worker's own share
(receiving, dispatching and acknowledging a message) is not in this process:
the collect-capacity section measures the whole worker.
"""

from __future__ import annotations

import cProfile
import pstats
import time

BUCKETS = (
    ("ORM + PostgreSQL driver", ("/django/db/", "/psycopg")),
    ("cache (Redis client, pickle)", ("/django/core/cache/", "/redis/", "pickle")),
    ("HTTP (requests, urllib3, http.client)", ("/requests/", "/urllib3/", "/http/client")),
    ("TLS (ssl)", ("/ssl.py", "_ssl", "SSLSocket", "SSLContext")),
    ("JSON", ("/json/", "_json")),
    ("Celery message (celery, kombu)", ("/celery/", "/kombu/", "/billiard/", "/amqp/")),
    ("socket / select", ("socket", "select", "selectors")),
    ("portal code (services, identity, audit)", ("/services/", "/identity/", "/audit/")),
    ("Django (other)", ("/django/",)),
    ("logging", ("/logging/",)),
)


def _bucket(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    for label, needles in BUCKETS:
        if any(n in where for n in needles):
            return label
    return "other (interpreter, stdlib)"


def breakdown(profile: cProfile.Profile, calls: int) -> dict:
    stats = pstats.Stats(profile)
    buckets: dict[str, float] = {}
    top = []
    for (filename, _line, name), (_cc, _nc, tottime, _cumtime, callers) in stats.stats.items():
        if filename == "~" and callers:
            # A builtin (str.upper, isinstance ...): its time goes to whoever called it.
            for (cfile, _cl, cname), caller_stats in callers.items():
                label = _bucket(cfile, cname)
                buckets[label] = buckets.get(label, 0.0) + caller_stats[2]
        else:
            label = _bucket(filename, name)
            buckets[label] = buckets.get(label, 0.0) + tottime
        top.append((tottime, f"{filename.rsplit('/site-packages/', 1)[-1]}:{name}"))
    total = sum(buckets.values())
    top.sort(reverse=True)
    return {
        "cpu_ms_per_collect_profiled": round(total / calls * 1000, 3),
        "by_bucket_ms_per_collect": {
            k: round(v / calls * 1000, 3) for k, v in sorted(buckets.items(), key=lambda x: -x[1])
        },
        "top_functions_ms_per_collect": [
            [name, round(t / calls * 1000, 4)] for t, name in top[:15]
        ],
    }


def _timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def run(stack, *, smoke: bool) -> dict:
    from django.db import connection

    from services.bankid import get_bankid_backend
    from services.bankid.collect import collect_once
    from services.bankid.models import BankIDOrder

    from .collect_capacity import _create_orders, _end_all, _mark_polled

    count = 20 if smoke else 400
    connection.ensure_connection()
    results: dict = {"calls": count}

    # 1. The old path: one collect_once per order (it publishes the next message).
    orders = _create_orders(count, tag="prof1")
    _mark_polled(orders)
    ids = [o.pk for o in orders]
    for pk, token in BankIDOrder.objects.filter(pk__in=ids[:5]).values_list("pk", "collect_token"):
        collect_once(order_id=str(pk), token=token)  # warm connections
    tokens = dict(BankIDOrder.objects.filter(pk__in=ids).values_list("pk", "collect_token"))
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for pk in ids:
        collect_once(order_id=str(pk), token=tokens[pk])
    profile.disable()
    results["collect_once"] = breakdown(profile, count)
    # Unprofiled (cProfile itself costs CPU): the next round of the same orders.
    tokens = dict(BankIDOrder.objects.filter(pk__in=ids).values_list("pk", "collect_token"))
    cpu, wall = _timed(lambda: [collect_once(order_id=str(pk), token=tokens[pk]) for pk in ids])
    results["collect_once"]["cpu_ms_per_collect_unprofiled"] = round(cpu / count * 1000, 3)
    results["collect_once"]["wall_ms_per_collect"] = round(wall / count * 1000, 3)
    _end_all()
    stack.purge_queue()

    # 2. The pieces alone: a bare /collect on the pooled session, a new
    # session per call (what a client per collect would cost), one message.
    client = get_bankid_backend()
    refs = [o.order_ref for o in _create_orders(50, tag="prof2")]
    client.collect(refs[0])
    cpu, wall = _timed(lambda: [client.collect(r) for r in refs])
    results["bare_collect_pooled_keepalive"] = {
        "cpu_ms": round(cpu / len(refs) * 1000, 3),
        "wall_ms": round(wall / len(refs) * 1000, 3),
    }
    from services.bankid.client import BankIDClient

    def fresh() -> None:
        for r in refs[:20]:
            with BankIDClient() as one:
                one.collect(r)

    cpu, wall = _timed(fresh)
    results["bare_collect_new_session_and_tls_handshake"] = {
        "cpu_ms": round(cpu / 20 * 1000, 3),
        "wall_ms": round(wall / 20 * 1000, 3),
    }
    from services.bankid.tasks import collect_order

    def publish() -> None:
        with collect_order.app.producer_or_acquire() as producer:
            for _n in range(200):
                collect_order.apply_async(("0", "x"), countdown=60, producer=producer)

    cpu, _ = _timed(publish)
    stack.purge_queue()
    results["celery_publish_one_eta_message_cpu_ms"] = round(cpu / 200 * 1000, 3)
    _end_all()

    # 3. The batch collector: the same orders in batches.
    try:
        from services.bankid.collector import collect_batch
    except ImportError:
        return results
    orders = _create_orders(count, tag="prof3")
    _mark_polled(orders)
    BankIDOrder.objects.filter(pk__in=[o.pk for o in orders]).update(next_collect_at=0)
    profile = cProfile.Profile(time.process_time)
    done = 0
    cpu0 = time.process_time()
    profile.enable()
    while done < count:
        n = collect_batch()
        if not n:
            break
        done += n
    profile.disable()
    cpu = time.process_time() - cpu0
    results["collect_batch"] = {
        "collects": done,
        "cpu_ms_per_collect_unprofiled_estimate": None,
        **breakdown(profile, max(1, done)),
    }
    # Unprofiled CPU (cProfile itself costs CPU): a second round.
    BankIDOrder.objects.filter(pk__in=[o.pk for o in orders]).update(next_collect_at=0)
    cpu, wall = _timed(lambda: _drain(collect_batch, count))
    results["collect_batch"]["cpu_ms_per_collect_unprofiled_estimate"] = round(
        cpu / count * 1000, 3
    )
    results["collect_batch"]["wall_ms_per_collect"] = round(wall / count * 1000, 3)
    del profile
    _end_all()
    return results


def _drain(collect_batch, count: int) -> None:
    done = 0
    while done < count:
        n = collect_batch()
        if not n:
            return
        done += n
