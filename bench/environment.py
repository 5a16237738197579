"""Everything a bench run needs, on loopback, and its clean-up.

- a PostgreSQL database of its own (created, migrated, dropped at the end)
- Redis: the broker queue and the cache key prefix of this run (deleted at the end)
- a Samba AD DC provisioned into a temp dir (``tests/samba.py``'s SambaDC)
- the BankID simulator in a process of its own (``bench/simproc.py``)
- gunicorn and a Celery worker with the production command lines

Every process is started from the main thread and stopped by its PID.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import procs

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

#: Variables of the caller's environment that must not leak into the bench's processes.
_DROP = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "DATABASE_PASSWORD",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "CELERY_",
    "PORTAL_DATA_DIR",
    "SECRET_KEY",
    "LDAP_",
    "BANKID_",
    "SMS_",
    "DIRECTORY_BACKEND",
    "DEBUG",
    "DEMO_MODE",
    "RESET_",
    "LOGIN_RATE",
)


class Unavailable(Exception):
    """A service the bench needs is not there (the section is skipped and says why)."""


class Stack:
    def __init__(self, *, smoke: bool, want_samba: bool = True) -> None:
        self.smoke = smoke
        self.want_samba = want_samba
        self.tag = f"bench{os.getpid()}"
        self.tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        self.pg_admin_url = os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        self.redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
        self.database = self.tag
        self.queue = self.tag
        self.env: dict[str, str] = {}
        self.samba = None
        self.samba_error = ""
        self.sim: procs.Managed | None = None
        self.sim_info: dict = {}
        self._db_created = False
        self._managed: list[procs.Managed] = []
        self._sim_lock = threading.Lock()

    # --- set-up --------------------------------------------------------------
    def start(self) -> Stack:
        self._check_services()
        provision = None
        if self.want_samba:
            provision = self._provision_samba_in_background()
        self._create_database()
        self._start_simulator()
        self.env = self._environment()
        for name in [k for k in os.environ if k.startswith(_DROP)]:
            del os.environ[name]
        os.environ.update(self.env)
        import django

        django.setup()
        self._log_to_file()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        if provision is not None:
            provision.join(timeout=300)
            self._start_samba()  # from the main thread (PR_SET_PDEATHSIG)
        return self

    def _log_to_file(self) -> None:
        """This process logs like the portal does (same level and format), into a
        file instead of the console that shows the tables."""
        import logging

        stream = (self.tmp / "bench-process.log").open("a")
        self._log_stream = stream
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(stream)

    def _check_services(self) -> None:
        import psycopg
        import redis

        try:
            with psycopg.connect(self._pg_dsn(self.pg_admin_url), connect_timeout=3) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise Unavailable(f"PostgreSQL at {self.pg_admin_url}: {exc}") from exc
        try:
            redis.Redis.from_url(self.redis_url + "/0", socket_timeout=3).ping()
        except redis.RedisError as exc:
            raise Unavailable(f"Redis at {self.redis_url}: {exc}") from exc

    @staticmethod
    def _pg_dsn(url: str) -> str:
        return url.replace("postgres://", "postgresql://", 1)

    def database_url(self) -> str:
        parts = urlsplit(self.pg_admin_url)
        return parts._replace(path=f"/{self.database}").geturl()

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(self._pg_dsn(self.pg_admin_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self._db_created = True

    def _drop_database(self) -> None:
        import psycopg

        if not self._db_created:
            return
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with psycopg.connect(self._pg_dsn(self.pg_admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._db_created = False

    def _provision_samba_in_background(self) -> threading.Thread | None:
        try:
            from tests import samba as samba_module
        except ImportError as exc:  # pytest missing: no dev dependencies
            self.samba_error = f"tests/samba.py cannot be imported ({exc})"
            return None
        if samba_module._samba_binary() is None or shutil.which("samba-tool") is None:
            self.samba_error = "samba / samba-tool are not installed (apt: samba)"
            return None
        if os.geteuid() != 0:
            self.samba_error = "a Samba AD DC must run as root"
            return None
        samba_module._remove_orphans()
        root = Path(tempfile.mkdtemp(prefix=samba_module.DIR_PREFIX))
        (root / "owner.pid").write_text(str(os.getpid()))
        self.samba = samba_module.SambaDC(root, samba_module._free_loopback_address())

        def provision() -> None:
            try:
                self.samba.provision()
            except Exception as exc:  # reported, the sections that need it are skipped
                self.samba_error = f"provisioning failed: {exc}"

        thread = threading.Thread(target=provision, name="samba-provision", daemon=True)
        thread.start()
        return thread

    def _start_samba(self) -> None:
        if self.samba is None or self.samba_error:
            return
        try:
            self.samba.start()
            self.samba.setup_directory()
        except Exception as exc:
            self.samba_error = f"start failed: {exc}"
            return

    def _ldap_env(self) -> dict[str, str]:
        dc = self.samba
        return {
            "LDAP_URLS": dc.url,
            "LDAP_BIND_DN": dc.bind_dn,
            "LDAP_BIND_PASSWORD": dc.bind_password,
            "LDAP_BASE_DN": dc.base_dn,
            "LDAP_CA_FILE": dc.ca_file,
            "LDAP_TLS_SERVER_NAME": dc.server_name,
            "LDAP_TLS_STRICT": "false",  # Samba's self-made certificate (Python 3.13)
        }

    @property
    def samba_ready(self) -> bool:
        return self.samba is not None and not self.samba_error and self.samba.running

    def _start_simulator(self) -> None:
        env = self._base_env()
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            SECRET_KEY="bench-simulator",
            PORTAL_DATA_DIR=str(self.tmp / "sim-data"),
            DATABASE_URL=f"sqlite:///{self.tmp / 'sim.sqlite3'}",
        )
        self.sim = procs.Managed(
            "bankid-simulator",
            [PYTHON, "-m", "bench.simproc", str(self.tmp / "bankid-certs")],
            env=env,
            cwd=ROOT,
            log=self.tmp / "simulator.log",
        ).start(pipes=True)
        self._managed.append(self.sim)
        line = self.sim.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the BankID simulator did not start:\n{self.sim.log()}")
        self.sim_info = json.loads(line)

    def sim_command(self, **command) -> dict:
        """One command to the simulator process (see bench/simproc.py)."""
        with self._sim_lock:
            self.sim.proc.stdin.write((json.dumps(command) + "\n").encode())
            self.sim.proc.stdin.flush()
            line = self.sim.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the BankID simulator stopped:\n{self.sim.log()}")
        return json.loads(line)

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_DROP)}
        env["PYTHONPATH"] = str(ROOT)
        return env

    def _environment(self) -> dict[str, str]:
        """The portal's settings for every process of the run: production
        defaults, except loopback services, this run's database/queue/cache
        prefix, the simulator, and in-memory SMS/e-mail."""
        data = self.tmp / "data"
        data.mkdir(exist_ok=True)
        env = self._base_env()
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            SECRET_KEY=secrets.token_urlsafe(40),
            DEBUG="false",
            PORTAL_DATA_DIR=str(data),
            DATABASE_URL=self.database_url(),
            CACHE_URL=f"{self.redis_url}/1",
            CACHE_KEY_PREFIX=self.tag,
            CELERY_BROKER_URL=f"{self.redis_url}/0",
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            STATIC_MANIFEST="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            SMS_BACKEND="services.sms.gateways.LocmemBackend",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            DIRECTORY_BACKEND="identity.directory.ad.ActiveDirectoryBackend",
            LOG_LEVEL="INFO",
            # The reset section enrols and resets at once.
            RESET_NEW_SERVICE_QUIET_SECONDS="0",
        )
        if self.samba is not None:
            # Known before the DC is up: its address and where its CA will be.
            env.update(self._ldap_env())
        env.update(self.sim_info.get("settings", {}))
        return env

    # --- the portal's processes --------------------------------------------------
    def start_web(self, *, workers: int, application_name: str = "") -> tuple[procs.Managed, int]:
        """gunicorn with the production command line (docker-compose.yml) on loopback.
        ``application_name`` tags its database connections (see status_poll)."""
        port = procs.free_port()
        env = dict(self.env)
        if application_name:
            env["DATABASE_URL"] = f"{self.database_url()}?application_name={application_name}"
        web = procs.Managed(
            "gunicorn",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=ROOT,
            log=self.tmp / f"gunicorn-{port}.log",
        ).start()
        self._managed.append(web)
        procs.wait_for_port("127.0.0.1", port, timeout=60, proc=web)
        # Every worker must have imported Django before the clock starts.
        deadline = time.monotonic() + 60
        while len(procs.children(web.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        return web, port

    def start_worker(self, *, concurrency: int | None = None) -> procs.Managed:
        """``celery -A portal worker --loglevel INFO`` as in docker-compose.yml
        (default pool and concurrency, or ``concurrency`` pool processes), on
        this run's queue. Gossip, mingle and heartbeat are off: the Redis is
        shared with other runs' workers."""
        extra = ["--concurrency", str(concurrency)] if concurrency else []
        worker = procs.Managed(
            "celery-worker",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *extra,
            ],
            env=self.env,
            cwd=ROOT,
            log=self.tmp / f"worker-{len(self._managed)}.log",
        ).start()
        self._managed.append(worker)
        worker.wait_for_log("ready.", timeout=90)
        return worker

    def stop(self, proc: procs.Managed | None) -> None:
        if proc is not None:
            proc.stop()

    def purge_queue(self) -> None:
        import redis

        client = redis.Redis.from_url(f"{self.redis_url}/0")
        client.delete(self.queue)

    # --- clean-up -----------------------------------------------------------------
    def close(self) -> None:
        for proc in reversed(self._managed):
            if proc is self.sim and proc.alive:
                with contextlib.suppress(Exception):
                    self.sim_command(cmd="quit")
            with contextlib.suppress(Exception):
                proc.stop()
        if self.samba is not None:
            with contextlib.suppress(Exception):
                self.samba.stop()
            shutil.rmtree(self.samba.root, ignore_errors=True)
        with contextlib.suppress(Exception):
            self._drop_database()
        with contextlib.suppress(Exception):
            self._clean_redis()
        if not os.environ.get("BENCH_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _clean_redis(self) -> None:
        import redis

        broker = redis.Redis.from_url(f"{self.redis_url}/0")
        broker.delete(self.queue)
        for key in broker.scan_iter(match="_kombu.binding.*", count=1000):
            for member in broker.smembers(key):
                if member.split(b"\x06\x16")[0] == self.queue.encode():
                    broker.srem(key, member)
        cache = redis.Redis.from_url(f"{self.redis_url}/1")
        keys = list(cache.scan_iter(match=f"{self.tag}:*", count=1000))
        for start in range(0, len(keys), 500):
            cache.delete(*keys[start : start + 500])
