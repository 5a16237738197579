"""Section 1 (status poll) and section 5 (memory).

Logged-in sessions, each with a pending BankID order started through the
product's own ``start_order`` (the simulator holds the orders pending, a
Celery worker collects them every 2 s). Under gunicorn, the load generator
polls ``/bankid/order/<uuid>/status`` of those sessions in turn, and in
alternating rounds a minimal Django view (``bench/urls.py``) that answers
JSON of the same size, on the same gunicorn with the same settings and
middleware. While the status endpoint is under load, the RSS of the web and
worker processes is sampled.

Database writes per poll are counted twice: exactly, with Django's query log
around single polls in this process; and under load, from PostgreSQL's
statistics (rows inserted/updated/deleted in the bench's tables), minus the
one row update each collect makes.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid

from . import loadgen, procs

TARGET_RATIO = 0.7


def _make_sessions(count: int) -> list[dict]:
    """``count`` logged-in sessions, each with a pending BankID order."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client, RequestFactory

    from enrollment.bankid.models import BankIDOrder
    from enrollment.bankid.orders import start_order

    user_model = get_user_model()
    factory = RequestFactory()
    sessions = []
    for n in range(count):
        user = user_model(username=f"bench-poll-{n}", directory_guid=str(uuid.uuid4()))
        user.set_unusable_password()
        user.save()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="identity.auth.DirectoryAuthBackend")
        key = client.cookies["sessionid"].value
        request = factory.post("/bankid/", REMOTE_ADDR="127.0.0.1")
        request.session = SessionStore(key)
        request.user = user
        order = start_order(
            request=request,
            purpose=BankIDOrder.Purpose.ENROLL,
            user_guid=user.directory_guid,
            username=user.username,
            visible_text="Inloggning till Självserviceportalen",
        )
        sessions.append(
            {
                "session": key,
                "order": str(order.pk),
                "path": f"/bankid/order/{order.pk}/status",
            }
        )
    return sessions


def _single_poll_queries(sessions: list[dict], polls: int) -> dict:
    """Polls through Django's test client with the query log on."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts, writes, statements = [], [], []
    for n in range(polls):
        target = sessions[n % len(sessions)]
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = target["session"]
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target["path"])
        if response.status_code != 200:
            raise RuntimeError(f"status poll answered {response.status_code}")
        sql = [q["sql"] for q in ctx.captured_queries]
        counts.append(len(sql))
        writes.append(
            sum(1 for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")))
        )
        statements = sql
    return {
        "polls": polls,
        "queries_per_poll": max(counts),
        "writes_per_poll": max(writes),
        "last_poll_sql": [s[:160] for s in statements],
    }


def _pg_snapshot() -> dict:
    from django.db import connection
    from django.db.models import Sum

    from enrollment.bankid.models import BankIDOrder

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")
        tables = dict(cursor.fetchall())
    total = sum(tables.values())
    collects = BankIDOrder.objects.aggregate(n=Sum("collect_count"))["n"] or 0
    return {"rows_written": total, "tables": tables, "collects": collects}


class _RssSampler:
    """Samples VmRSS of the gunicorn workers and the Celery processes; keeps the maximum."""

    def __init__(self, web_pid: int, worker_pid: int) -> None:
        self.web_pid, self.worker_pid = web_pid, worker_pid
        self.web: dict[int, float] = {}
        self.web_master = 0.0
        self.worker_main = 0.0
        self.worker_children: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def sample(self) -> None:
        for pid in procs.children(self.web_pid):
            self.web[pid] = max(self.web.get(pid, 0.0), procs.rss_mb(pid) or 0.0)
        self.web_master = max(self.web_master, procs.rss_mb(self.web_pid) or 0.0)
        self.worker_main = max(self.worker_main, procs.rss_mb(self.worker_pid) or 0.0)
        for pid in procs.children(self.worker_pid):
            value = procs.rss_mb(pid) or 0.0
            self.worker_children[pid] = max(self.worker_children.get(pid, 0.0), value)

    def __enter__(self) -> _RssSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()


def run(stack, *, smoke: bool, web_workers: int, tool: str = "auto") -> tuple[dict, dict]:
    import http.client
    import json

    from enrollment.bankid.models import BankIDOrder

    sessions_count = 5 if smoke else 50
    rounds = 1 if smoke else 3
    seconds = 1.0 if smoke else 6.0
    connections = 2 if smoke else 8
    light_seconds = 1.0 if smoke else 4.0
    flush_wait = 2.0 if smoke else 11.0
    max_requests = 200 if smoke else 1_000_000

    worker = stack.start_worker()
    web = None
    try:
        web, port = stack.start_web(workers=web_workers)
        sessions = _make_sessions(sessions_count)

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        cookie = f"sessionid={sessions[0]['session']}"
        conn.request("GET", sessions[0]["path"], headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"status endpoint answered {response.status}: {body[:300]!r}")
        sample = json.loads(body)
        size = len(body)
        if not sample.get("qr"):
            raise RuntimeError(f"the order is not showing a QR code: {sample}")
        queries = _single_poll_queries(sessions, 3 if smoke else 10)

        product = [(s["path"], f"sessionid={s['session']}") for s in sessions]
        what_if = [
            (f"/bench/what-if/qr-payload/{s['order']}", f"sessionid={s['session']}")
            for s in sessions
        ]
        baseline = [(f"/bench/baseline/{size}", f"sessionid={s['session']}") for s in sessions]
        # The baseline must answer the same number of bytes.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", baseline[0][0])
        baseline_size = len(conn.getresponse().read())
        conn.close()

        def load(targets, secs, conns):
            return loadgen.run(
                port, targets, seconds=secs, connections=conns, tool=tool, max_requests=max_requests
            )

        if not smoke:
            load(product, 1.0, connections)  # warm every gunicorn worker
            load(baseline, 1.0, connections)

        time.sleep(1.5)  # the set-up's writes reach the statistics before the first look
        before = _pg_snapshot()
        product_runs, baseline_runs, light_product, light_baseline = [], [], [], []
        what_if_runs = []
        with _RssSampler(web.pid, worker.pid) as rss:
            for r in range(rounds):
                order = ("baseline", "product") if r % 2 == 0 else ("product", "baseline")
                for which in order:
                    if which == "product":
                        product_runs.append(load(product, seconds, connections))
                    else:
                        baseline_runs.append(load(baseline, seconds, connections))
                what_if_runs.append(load(what_if, seconds, connections))
            for _round in range(max(1, rounds - 1)):
                light_baseline.append(load(baseline, light_seconds, 1))
                light_product.append(load(product, light_seconds, 1))
        polls = sum(x.requests for x in product_runs + light_product)
        errors = sum(
            x.errors
            for x in product_runs + baseline_runs + light_product + light_baseline + what_if_runs
        )

        # Stop the collect chains (one known write per order), let every
        # backend flush its statistics, then compare.
        # A poll restarts a collect chain that has not run for 3 intervals
        # (its worker died, or here: starved of CPU): one row update each.
        kicks = web.log(tail=1_000_000).count("collect chain stalled, restarted")
        stopped = BankIDOrder.objects.filter(status=BankIDOrder.Status.PENDING).update(
            status=BankIDOrder.Status.CANCELLED, collect_token=""
        )
        time.sleep(flush_wait)
        after = _pg_snapshot()
    finally:
        stack.stop(web)
        stack.stop(worker)
        stack.purge_queue()

    rows = after["rows_written"] - before["rows_written"]
    collects = after["collects"] - before["collects"]
    by_polls = rows - collects - stopped
    tables = {
        name: after["tables"].get(name, 0) - before["tables"].get(name, 0)
        for name in after["tables"]
        if after["tables"].get(name, 0) != before["tables"].get(name, 0)
    }

    def med(runs, attr):
        return statistics.median(getattr(x, attr) for x in runs)

    p_rps = statistics.median(x.rps for x in product_runs)
    b_rps = statistics.median(x.rps for x in baseline_runs)
    ratio = p_rps / b_rps if b_rps else 0.0
    status = {
        "target": f">= {TARGET_RATIO} of the baseline's requests/s, no database write per poll",
        "tool": product_runs[0].tool,
        "gunicorn_workers": web_workers,
        "sessions": sessions_count,
        "json_bytes": size,
        "baseline_json_bytes": baseline_size,
        "connections": connections,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "product": {
            "rps": round(p_rps, 1),
            "p50_ms": round(med(product_runs, "p50_ms"), 2),
            "p99_ms": round(med(product_runs, "p99_ms"), 2),
            "light_p50_ms": round(med(light_product, "p50_ms"), 2),
            "light_p99_ms": round(med(light_product, "p99_ms"), 2),
        },
        "baseline": {
            "rps": round(b_rps, 1),
            "p50_ms": round(med(baseline_runs, "p50_ms"), 2),
            "p99_ms": round(med(baseline_runs, "p99_ms"), 2),
            "light_p50_ms": round(med(light_baseline, "p50_ms"), 2),
            "light_p99_ms": round(med(light_baseline, "p99_ms"), 2),
        },
        "ratio": round(ratio, 3),
        "what_if_qr_drawn_in_browser": {
            "rps": round(statistics.median(x.rps for x in what_if_runs), 1),
            "p50_ms": round(med(what_if_runs, "p50_ms"), 2),
            "p99_ms": round(med(what_if_runs, "p99_ms"), 2),
            "ratio": round(statistics.median(x.rps for x in what_if_runs) / b_rps, 3)
            if b_rps
            else None,
            "note": "bench-only view: the same order_state, the QR sent as its ~110-character "
            "payload instead of an SVG drawn on the server (not what the product does)",
        },
        "round_ratios": [
            round(p.rps / b.rps, 3) if b.rps else None
            for p, b in zip(product_runs, baseline_runs, strict=False)
        ],
        "http_errors": errors,
        "db_writes": {
            "query_log": queries,
            "under_load": {
                "polls": polls,
                "rows_written": rows,
                "collect_updates": collects,
                "bench_own_updates": stopped,
                "attributed_to_polls": by_polls,
                "stalled_chain_restarts": kicks,
                "per_poll": round(by_polls / polls, 4) if polls else None,
                "tables": tables,
                "note": "PostgreSQL statistics, after waiting for every backend to flush them",
            },
        },
        "runs": {
            "product": [x.as_dict() for x in product_runs],
            "baseline": [x.as_dict() for x in baseline_runs],
        },
    }
    status["met"] = bool(
        ratio >= TARGET_RATIO
        and queries["writes_per_poll"] == 0
        and by_polls - kicks <= 0
        and not errors
    )
    web_rss = sorted(rss.web.values())
    memory = {
        "target": "report only",
        "web_worker_rss_mb": round(max(web_rss), 1) if web_rss else None,
        "web_workers_rss_mb": [round(v, 1) for v in web_rss],
        "web_master_rss_mb": round(rss.web_master, 1),
        "celery_main_rss_mb": round(rss.worker_main, 1),
        "celery_children_rss_mb": [round(v, 1) for v in sorted(rss.worker_children.values())],
        "under": "the status-poll rounds (both endpoints) with the collect worker running",
        "met": None,
    }
    return status, memory
