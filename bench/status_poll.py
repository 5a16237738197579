"""Section 1 (status poll) and section 5 (memory).

Logged-in sessions, each with a pending BankID order started through the
product's own ``start_order`` (the simulator holds the orders pending, a
Celery worker collects them every 2 s). Under gunicorn, the load generator
polls ``/bankid/order/<uuid>/status`` of those sessions in turn, and in
alternating rounds a minimal Django view (``bench/urls.py``) that answers
JSON of the same size, on the same gunicorn with the same settings and
middleware. While the status endpoint is under load, the RSS of the web and
worker processes is sampled.

Database writes per poll are counted twice, exactly: with Django's query log
around single polls in this process; and under load, by a row trigger the
bench puts on every table of its own database for the duration of the rounds,
counting the rows the web processes (and only they: their connections carry
their own application_name) insert, update or delete.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
import uuid

from . import loadgen, procs

TARGET_RATIO = 0.7


def _make_sessions(count: int) -> list[dict]:
    """``count`` logged-in sessions, each with a pending BankID order."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client, RequestFactory

    from services.bankid.models import BankIDOrder
    from services.bankid.orders import start_order
    from services.bankid.poll import make_poll_token

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
        token = make_poll_token(order_id=order.pk, session_key=key)
        sessions.append(
            {
                "session": key,
                "order": str(order.pk),
                # What the order page's script polls: with the page's poll token.
                "path": f"/bankid/order/{order.pk}/status?mode=qr&t={token}",
                "session_path": f"/bankid/order/{order.pk}/status?mode=qr",
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


WEB_APPLICATION_NAME = "bench-web"


def _in_process_cpu(sessions: list[dict], size: int, requests: int) -> dict:
    """CPU time per request through the portal's WSGI application in this
    process (no gunicorn, no sockets to the client): the token poll (answered
    before Django, portal/pollpath.py), the session poll and the baseline (both
    Django), in alternating rounds. Load-robust where req/s is not."""
    import io
    import time

    from django.core.handlers.wsgi import WSGIHandler

    from portal.pollpath import TokenPollShortcut

    handler = TokenPollShortcut(WSGIHandler())  # what portal.wsgi serves

    def call(path: str, session: str) -> None:
        path, _q, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"sessionid={session}",
            "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) bench",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
        b"".join(handler(environ, lambda *_a: None))

    targets = {
        "token_poll": [(s["path"], s["session"]) for s in sessions],
        "session_poll": [(s["session_path"], s["session"]) for s in sessions],
        "baseline": [(f"/bench/baseline/{size}", s["session"]) for s in sessions],
    }
    cpu: dict[str, list[float]] = {k: [] for k in targets}
    for _round in range(3):
        for name, items in targets.items():
            for n in range(50):
                call(*items[n % len(items)])
            start = time.process_time()
            for n in range(requests):
                call(*items[n % len(items)])
            cpu[name].append((time.process_time() - start) / requests * 1e6)
    result = {k: round(statistics.median(v), 1) for k, v in cpu.items()}
    return {
        "cpu_us_per_request": result,
        "requests_per_round": requests,
        "ratio_baseline_over_token_poll": round(result["baseline"] / result["token_poll"], 3),
    }


def _forget_snapshot(order_id: str) -> None:
    from django.core.cache import cache

    cache.delete_many([f"bankid:order:{order_id}", f"bankid:seen:{order_id}"])


def _count_web_writes(on: bool) -> None:
    """Install (or remove) the row triggers that count the web processes' writes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT IN ('bench_web_writes', 'django_migrations')"
        )
        tables = [row[0] for row in cursor.fetchall()]
        if not on:
            for table in tables:
                cursor.execute(f'DROP TRIGGER IF EXISTS bench_web_writes ON "{table}"')
            return
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_web_writes "
            "(tbl text, op text, n bigint NOT NULL, PRIMARY KEY (tbl, op))"
        )
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION bench_web_write() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              IF current_setting('application_name') = '{WEB_APPLICATION_NAME}' THEN
                INSERT INTO bench_web_writes VALUES (TG_TABLE_NAME, TG_OP, 1)
                ON CONFLICT (tbl, op) DO UPDATE SET n = bench_web_writes.n + 1;
              END IF;
              RETURN NULL;
            END $$"""
        )
        for table in tables:
            cursor.execute(
                f'CREATE TRIGGER bench_web_writes AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION bench_web_write()"
            )
        cursor.execute("DELETE FROM bench_web_writes")


def _web_writes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl || ' ' || op, n FROM bench_web_writes")
        return dict(cursor.fetchall())


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

    from services.bankid.models import BankIDOrder

    sessions_count = 5 if smoke else 50
    rounds = 1 if smoke else 3
    seconds = 1.0 if smoke else 6.0
    connections = 2 if smoke else 8
    light_seconds = 1.0 if smoke else 4.0
    max_requests = 200 if smoke else 1_000_000

    worker = stack.start_worker()
    web = None
    try:
        _count_web_writes(True)
        web, port = stack.start_web(workers=web_workers, application_name=WEB_APPLICATION_NAME)
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
        in_process = _in_process_cpu(sessions, size, 50 if smoke else 1000)

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

        before = _web_writes()
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
        # Every request but the baseline's runs order_state (the what-if too).
        polls = sum(x.requests for x in product_runs + light_product + what_if_runs)
        errors = sum(
            x.errors
            for x in product_runs + baseline_runs + light_product + light_baseline + what_if_runs
        )

        after = _web_writes()
        # A poll restarts a collect chain that has not run for 3 intervals
        # (its worker died, or here: starved of CPU): one row update each.
        kicks = web.log(tail=1_000_000).count("collect chain stalled, restarted")
        # Positive control: a poll that must write (it restarts a chain that
        # looks stalled) shows up in the count, so a 0 above means 0.
        control = sessions[0]
        BankIDOrder.objects.filter(pk=control["order"]).update(last_collect_at=0)
        _forget_snapshot(control["order"])  # the session poll reads the row, sees it stalled
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(
            "GET", control["session_path"], headers={"Cookie": f"sessionid={control['session']}"}
        )
        conn.getresponse().read()
        conn.close()
        control_seen = sum(_web_writes().values()) - sum(after.values())
        BankIDOrder.objects.filter(status=BankIDOrder.Status.PENDING).update(
            status=BankIDOrder.Status.CANCELLED, collect_token=""
        )
    finally:
        stack.stop(web)
        stack.stop(worker)
        stack.purge_queue()
        with contextlib.suppress(Exception):
            _count_web_writes(False)

    writes = {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k, 0)}
    by_polls = sum(writes.values())

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
        "in_process": in_process,
        "round_ratios": [
            round(p.rps / b.rps, 3) if b.rps else None
            for p, b in zip(product_runs, baseline_runs, strict=False)
        ],
        "http_errors": errors,
        "db_writes": {
            "query_log": queries,
            "under_load": {
                "polls": polls,
                "rows_written_by_web": by_polls,
                "by_table": writes,
                "stalled_chain_restarts": kicks,
                "control_poll_writes_seen": control_seen,
                "per_poll": round(by_polls / polls, 4) if polls else None,
                "how": "row triggers counting the web processes' inserts/updates/deletes",
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
        and control_seen >= 1
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
