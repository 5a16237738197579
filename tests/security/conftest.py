"""The running stack the attacks are made against, on each supported
configuration: the default (SQLite, database cache: what ``make demo`` and a
small install run) and PostgreSQL with Redis (what CI and larger installs run).

Each is a real gunicorn with several processes and threads, its own database
(migrated and seeded through manage.py), the BankID simulator, and an SMS
gateway that is a local HTTP sink counting every message it is given.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.processes import Gunicorn

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379"


class SmsSink:
    """The SMS gateway: records every message (to, text) it is asked to send."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.messages.append(json.loads(body))
                answer = json.dumps({"id": str(uuid.uuid4())}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, number: str) -> list[str]:
        return [m["message"] for m in self.messages if m["to"] == number]

    def last_code(self, number: str) -> str:
        return re.search(r"\b(\d{6})\b", self.to(number)[-1]).group(1)


class Stack:
    """One configuration of the portal, running."""

    def __init__(self, kind: str, tmp: Path, sim) -> None:
        self.kind = kind
        self.tmp = tmp
        self._sink = sink = SmsSink()
        self.worker_log = tmp / f"worker-{kind}.log"
        self.log = tmp / f"gunicorn-{kind}.log"
        self.tag = f"sec{os.getpid()}{kind[:1]}"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_", "CACHE_", "DJANGO_", "CELERY_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tests.security.stack_settings",
            PYTHONPATH=str(ROOT),
            PORTAL_DATA_DIR=str(tmp),
            CACHE_KEY_PREFIX=self.tag,
            STACK_SMS_SINK=sink.url,
            LOG_FORMAT="plain",
            CELERY_TASK_DEFAULT_QUEUE=self.tag,
            PYTHONUNBUFFERED="1",
        )
        env.update({k: str(v) for k, v in sim.client_settings().items()})
        if kind == "default":
            self.sqlite = tmp / "stack.sqlite3"
            env["DATABASE_URL"] = f"sqlite:///{self.sqlite}"
            env["CELERY_BROKER_URL"] = "filesystem://"
        else:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.tag}"')
                conn.execute(f'CREATE DATABASE "{self.tag}"')
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.tag}"
            env["CACHE_URL"] = f"{REDIS}/1"
            env["CELERY_BROKER_URL"] = f"{REDIS}/0"
        self.env = env
        for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
            self.manage(*command)
        seeded = subprocess.run(
            [sys.executable, "manage.py", "shell"],
            input=(Path(__file__).parent / "seed.py").read_text(),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "seeded" in seeded.stdout, seeded.stdout + seeded.stderr
        with open(self.worker_log, "ab") as out:
            self.worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "portal",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--pool",
                    "threads",
                    "--concurrency",
                    "4",
                    "--queues",
                    self.tag,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],  # fmt: skip
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.web = Gunicorn(env, self.log, workers=3, threads=4)
        self.url = self.web.url

    @property
    def sink(self) -> SmsSink:
        """The SMS gateway, once the worker has delivered every code queued."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pending = self.query(
                "SELECT count(*) FROM enrollment_smschallenge "
                "WHERE send_state IN ('queued', 'sending')"
            )[0][0]
            if not pending:
                break
            time.sleep(0.1)
        return self._sink

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the stack's own database (what happened, not what a page said)."""
        if self.kind == "default":
            with sqlite3.connect(self.sqlite, timeout=30) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()

    def audit(self, action: str, result: str | None = None) -> int:
        if result is None:
            return self.query("SELECT count(*) FROM audit_auditevent WHERE action = %s", action)[0][
                0
            ]
        return self.query(
            "SELECT count(*) FROM audit_auditevent WHERE action = %s AND result = %s",
            action,
            result,
        )[0][0]

    def stop(self) -> None:
        self.worker.terminate()
        try:
            self.worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.worker.kill()
        self.web.stop()
        if self.kind != "default":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.tag}" WITH (FORCE)')

    def server_log(self) -> str:
        """What the web processes and the worker logged."""
        return self.log.read_text(errors="replace") + self.worker_log.read_text(errors="replace")


class Visitor:
    """One browser: its own cookies, speaking from one address."""

    def __init__(self, stack: Stack, ip: str = "198.51.100.7") -> None:
        self.stack = stack
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = ip

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.stack.url + path, allow_redirects=False, timeout=60, **kw)

    def post(self, path: str, data: dict, **kw) -> requests.Response:
        if "csrftoken" not in self.http.cookies:
            self.get("/login/")
        data = {**data, "csrfmiddlewaretoken": self.http.cookies["csrftoken"]}
        headers = {"Referer": self.stack.url + path}
        return self.http.post(
            self.stack.url + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=60,
            **kw,
        )

    def start_reset(self, username: str, purpose: str = "reset") -> str:
        """Start a flow; returns the proof page's path."""
        response = self.post(f"/{purpose}/", {"username": username})
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return response.headers["Location"]


def flow_id(prove_path: str) -> str:
    return prove_path.rstrip("/").split("/")[-1]


def burst(fn, count: int, *, workers: int = 20) -> list:
    """Run ``fn(i)`` ``count`` times, ``workers`` at once."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, range(count)))


def _available(kind: str) -> str:
    if kind == "default":
        return ""
    try:
        import psycopg
        import redis

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            pass
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL and Redis on loopback are needed: {exc}"
    return ""


@pytest.fixture(scope="session", params=["default", "redis"])
def stack(request, tmp_path_factory, simulator):
    why = _available(request.param)
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    running = Stack(request.param, tmp_path_factory.mktemp(request.param), simulator)
    yield running
    running.stop()
    running._sink.server.shutdown()


MEASURED: list[tuple[str, str, str, str, int]] = []


def measured(stack: Stack, limit: str, value: str, attack: str, got: int) -> None:
    """Note what got through an attack, for the summary at the end of the run."""
    MEASURED.append((stack.kind, limit, value, attack, got))


def pytest_terminal_summary(terminalreporter):
    if not MEASURED:
        return
    terminalreporter.section("limits under attack (what got through)")
    for kind, limit, value, attack, got in MEASURED:
        terminalreporter.write_line(f"{kind:8} {limit:34} limit {value:14} {attack:44} got {got}")
    out = ROOT / "test-results" / "security-limits.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(MEASURED, indent=1))
