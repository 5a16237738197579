"""A real Celery worker process for the tests that need one.

The worker runs ``celery -A portal worker`` with the test settings, pointed at
the test database and the run's own queue on the configured broker (Redis in
CI, kombu's filesystem transport otherwise). Use the ``celery_worker``
fixture; it needs committed data, so use it with ``transactional_db``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, *, concurrency: int = 4, pool: str = "threads", extra_env=None) -> None:
        self.concurrency = concurrency
        self.pool = pool
        self.extra_env = dict(extra_env or {})
        self.proc: subprocess.Popen | None = None
        self.log_path = Path(settings.DATA_DIR) / f"worker-{os.getpid()}-{id(self)}.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=_database_url(),
            CELERY_TASK_ALWAYS_EAGER="false",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> WorkerProcess:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
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
                self.pool,
                "--concurrency",
                str(self.concurrency),
                "--queues",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Celery worker exited:\n{self.log()}")
            if "ready." in self.log():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the Celery worker did not start in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        """Kill the worker at once (SIGKILL to its process group), as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_worker(transactional_db):
    """A running worker; tasks sent from the test go to it (not run inline)."""
    from portal.celery import app

    app.conf.task_always_eager = False
    worker = WorkerProcess().start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def worker_factory(transactional_db):
    """Start (and later stop) as many workers as a test needs."""
    from portal.celery import app

    app.conf.task_always_eager = False
    workers: list[WorkerProcess] = []

    def make(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(**kwargs).start()
        workers.append(worker)
        return worker

    try:
        yield make
    finally:
        for worker in workers:
            worker.stop()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
