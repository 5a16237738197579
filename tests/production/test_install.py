"""The production install, as an operator does it (docs/install.md, "On a plain
Debian host"): a clean clone, ``pip install .`` without the dev extras into a
fresh venv on the newest Python here, then gunicorn, a Celery worker and beat
on PostgreSQL and Redis, against the Samba AD DC, the BankID simulator (run
from the dev venv, as BankID's test service would be elsewhere) and an SMS
sink behind the generic HTTP gateway. One real path is walked: /healthz/ready,
a login, a Mobilkod enrolment whose SMS the worker sends through the gateway,
and a Mobilt BankID enrolment whose order the worker collects.

A runtime dependency missing from pyproject.toml fails here (a worker that
dies at start, a page that cannot import). Marked ``production``: not part of
the normal run; .ci/run runs it with ``pytest -m production``.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Prod-Install-Losen-7"
PNR = "199001012385"
PHONE_TYPED = "070-123 45 12"
PHONE_E164 = "+46701234512"


# --- what the machine must have -------------------------------------------------------


def newest_python() -> str:
    """PROD_PYTHON, else the newest of python3.13/3.12/3.11 that runs (on PATH or
    under pyenv). Fails, never skips: CI must not pass without this test."""
    if os.environ.get("PROD_PYTHON"):
        return os.environ["PROD_PYTHON"]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for minor in ("3.13", "3.12", "3.11"):
        candidates = [shutil.which(f"python{minor}") or ""]
        candidates += sorted(glob.glob(str(pyenv / "versions" / f"{minor}.*" / "bin" / "python3")))[
            ::-1
        ]
        for candidate in filter(None, candidates):
            ok = subprocess.run(
                [candidate, "-c", "import sys, venv; print(sys.version)"],
                capture_output=True,
                text=True,
                check=False,
            )
            if ok.returncode == 0:
                return candidate
    pytest.fail("no Python 3.11 or newer found for the production install", pytrace=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{cmd}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


# --- the SMS gateway's far end ----------------------------------------------------------


class SmsSink(ThreadingHTTPServer):
    """What the generic HTTP gateway posts to: records each message, answers an id."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        super().__init__(("127.0.0.1", 0), _SinkHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"


class _SinkHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.messages.append(json.loads(body))
        answer = json.dumps({"id": f"sink-{len(self.server.messages)}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def sms_sink():
    sink = SmsSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


# --- the organisation's SMTP relay's far end -------------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's smtplib backend: EHLO, MAIL, RCPT, DATA, QUIT."""

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self._say("220 sink ESMTP")
        message: dict = {"to": [], "data": ""}
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 sink")
            elif verb == "MAIL":
                message = {"to": [], "data": ""}
                self._say("250 OK")
            elif verb == "RCPT":
                message["to"].append(command.split(":", 1)[1].strip(" <>"))
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with .")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(data.decode(errors="replace"))
                message["data"] = "".join(lines)
                self.server.messages.append(message)
                self._say("250 OK")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:  # RSET, NOOP
                self._say("250 OK")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[dict] = []


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


# --- the BankID simulator, a process of the dev venv ------------------------------------


@pytest.fixture
def simulator_process(tmp_path):
    certs = tmp_path / "bankid-sim"
    proc = subprocess.Popen(
        [
            sys.executable, "manage.py", "bankid_simulator", "--port", "0", "--phone-port", "0",
            "--certs-dir", str(certs),
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    values: dict[str, str] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "phone" not in values:
        line = proc.stdout.readline()
        if not line:
            break
        if "=" in line and line.startswith("BANKID_"):
            key, _, value = line.strip().partition("=")
            values[key] = value
        elif line.startswith("Phone page"):
            values["phone"] = line.split(": ", 1)[1].strip()
    if "phone" not in values:
        proc.kill()
        pytest.fail(f"the BankID simulator did not start: {values}")
    yield values
    proc.terminate()
    proc.wait(timeout=10)


# --- the stack -----------------------------------------------------------------------


class Stack:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, cmd: list[str], *, cwd: Path, env: dict) -> None:
        self.logs[name] = self.tmp / f"{name}.log"
        with open(self.logs[name], "wb") as log:
            self.procs[name] = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def alive(self) -> dict[str, int | None]:
        return {name: proc.poll() for name, proc in self.procs.items()}

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


def _database_url(name: str) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/portal")
    if not base.scheme.startswith("postgres"):
        pytest.fail("the production install needs PostgreSQL: set DATABASE_URL", pytrace=False)
    return urlunsplit(base._replace(path=f"/{name}"))


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _redis_url(name: str) -> str:
    url = os.environ.get(name, "")
    if not url.startswith("redis://"):
        pytest.fail(f"the production install needs Redis: set {name}", pytrace=False)
    return url


def _form_post(session: requests.Session, base: str, path: str, data: dict) -> requests.Response:
    page = session.get(base + path, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, f"no CSRF token on {path}: {page.status_code}"
    return session.post(
        base + path,
        data={"csrfmiddlewaretoken": token.group(1), **data},
        allow_redirects=False,
        timeout=30,
    )


def _wait(probe, what: str, within: float, stack: Stack):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        dead = {n: c for n, c in stack.alive().items() if c is not None}
        assert not dead, f"{dead} exited:\n" + "\n".join(
            f"--- {n}\n{stack.log(n)[-3000:]}" for n in dead
        )
        time.sleep(0.3)
    raise AssertionError(
        f"{what} within {within}s; "
        + "\n".join(f"--- {n}\n{stack.log(n)[-3000:]}" for n in ("web", "worker", "beat"))
    )


def test_the_documented_production_install_runs_one_real_path(
    tmp_path, samba_dc, simulator_process, sms_sink, smtp_sink
):
    user = samba_dc.create_user(samba_dc.unique("prod"), PASSWORD, mail="prod@test.local")
    python = newest_python()
    timings: dict[str, float] = {}
    started = time.monotonic()

    # 1. A clean clone and a fresh venv with `pip install .` (no extras).
    app = tmp_path / "app"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(app)])
    venv = tmp_path / "venv"
    run([python, "-m", "venv", str(venv)])
    bin_ = venv / "bin"
    run([str(bin_ / "pip"), "install", "--quiet", str(app)], cwd=tmp_path)
    timings["install"] = time.monotonic() - started
    version = run([str(bin_ / "python"), "-c", "import sys; print(sys.version.split()[0])"])
    # Test-only packages stay out of production.
    for dev_only in ("pytest", "personnummer", "responses", "playwright"):
        missing = subprocess.run(
            [str(bin_ / "python"), "-c", f"import {dev_only}"], capture_output=True, check=False
        )
        assert missing.returncode != 0, f"{dev_only} is installed in production"

    # 2. Configuration as in docs/install.md: secrets in files, the portal's env.
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    for name in ("secret_key", "field_encryption_key", "pii_hash_key"):
        (secrets_dir / name).write_text(secrets.token_urlsafe(50))
    (secrets_dir / "ldap_bind_password").write_text(samba_dc.bind_password)
    data = tmp_path / "data"
    data.mkdir()
    database_url = _database_url(
        urlsplit(os.environ.get("DATABASE_URL", "/portal")).path.lstrip("/") + "_prodinstall"
    )
    _recreate_database(database_url)
    port = free_port()
    env = {
        "PATH": f"{bin_}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PORTAL_DATA_DIR": str(data),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": _redis_url("CELERY_BROKER_URL"),
        "CACHE_URL": _redis_url("CACHE_URL"),
        # Shared Redis on a CI machine: a queue and cache keys of this run's own.
        "CELERY_TASK_DEFAULT_QUEUE": f"prodinstall-{uuid.uuid4().hex[:8]}",
        "CACHE_KEY_PREFIX": f"prodinstall-{uuid.uuid4().hex[:8]}",
        "SECRET_KEY_FILE": str(secrets_dir / "secret_key"),
        "FIELD_ENCRYPTION_KEY_FILE": str(secrets_dir / "field_encryption_key"),
        "PII_HASH_KEY_FILE": str(secrets_dir / "pii_hash_key"),
        "LDAP_URLS": samba_dc.url,
        "LDAP_BIND_DN": samba_dc.bind_dn,
        "LDAP_BIND_PASSWORD_FILE": str(secrets_dir / "ldap_bind_password"),
        "LDAP_BASE_DN": samba_dc.base_dn,
        "LDAP_CA_FILE": samba_dc.ca_file,
        "LDAP_TLS_SERVER_NAME": samba_dc.server_name,
        "LDAP_TLS_STRICT": "false",  # Samba's self-made certificate (docs/active-directory.md)
        # The public name and 127.0.0.1 for local checks, as docs/install.md says;
        # the passkey RP ID comes from the public name.
        "ALLOWED_HOSTS": "losenord.example.se,127.0.0.1",
        # Trying the portal over plain HTTP before the proxy exists (docs/install.md).
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SMS_BACKEND": "services.sms.gateways.HttpBackend",
        "SMS_HTTP_URL": sms_sink.url,
        "BANKID_URL": simulator_process["BANKID_URL"],
        "BANKID_CA": simulator_process["BANKID_CA"],
        "BANKID_CERT": simulator_process["BANKID_CERT"],
        "BANKID_KEY": simulator_process["BANKID_KEY"],
        "BANKID_COLLECT_INTERVAL": "1",
        # The organisation's SMTP relay (a sink here), as docs/install.md says.
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.server_address[1]),
        "DEFAULT_FROM_EMAIL": "Självserviceportalen <noreply@example.se>",
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return run([str(bin_ / "python"), "manage.py", *args], cwd=app, env=env)

    manage("compilemessages", "--ignore=.venv", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("migrate", "-v", "0")
    manage("check", "--deploy")

    # 3. gunicorn, worker and beat, as the systemd units start them.
    stack = Stack(tmp_path)
    try:
        stack.start(
            "web",
            [str(bin_ / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--access-logfile", "-"],
            cwd=app, env=env,
        )  # fmt: skip
        stack.start(
            "worker",
            [str(bin_ / "celery"), "-A", "portal", "worker", "--loglevel", "INFO",
             "--concurrency", "2"],
            cwd=app, env=env,
        )  # fmt: skip
        stack.start(
            "beat",
            [str(bin_ / "celery"), "-A", "portal", "beat", "--loglevel", "INFO",
             "--schedule", str(data / "celerybeat-schedule")],
            cwd=app, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"

        def ready():
            try:
                response = requests.get(base + "/healthz/ready", timeout=10)
            except requests.ConnectionError:
                return None
            if response.status_code != 200:
                print("healthz/ready:", response.status_code, response.text[:500])
            return response if response.status_code == 200 else None

        health = _wait(ready, "/healthz/ready answering 200", 90, stack)
        _wait(lambda: " ready." in stack.log("worker"), "the worker ready", 60, stack)
        timings["ready"] = time.monotonic() - started
        assert {k: v["ok"] for k, v in health.json()["checks"].items()} == {
            "database": True,
            "broker": True,
            "directory": True,
        }
        visit_from = len(stack.log("worker").splitlines())

        # 4. One real path: a login, Mobilkod and Mobilt BankID enrolments.
        browser = requests.Session()
        login = _form_post(
            browser, base, "/login/", {"username": user["username"], "password": PASSWORD}
        )
        assert login.status_code == 302, login.text[:2000]
        sent = _form_post(browser, base, "/sms/", {"country": "SE", "number": PHONE_TYPED})
        assert sent.status_code == 302, sent.text[:2000]
        message = _wait(lambda: sms_sink.messages, "the SMS at the gateway", 60, stack)[0]
        assert message["to"] == PHONE_E164
        code = re.search(r"\b(\d{6})\b", message["message"]).group(1)
        confirmed = _form_post(browser, base, "/sms/confirm/", {"code": code})
        assert confirmed.status_code == 302, confirmed.text[:2000]
        # The enrolment notice goes to the AD mail through the SMTP relay.
        mail = _wait(lambda: smtp_sink.messages, "the notice at the SMTP relay", 60, stack)[0]
        assert mail["to"] == ["prod@test.local"]
        assert "/inte-jag/" in mail["data"]  # the "Det var inte jag" link

        started_order = _form_post(browser, base, "/bankid/", {"personal_number": PNR})
        assert started_order.status_code == 302, started_order.text[:2000]
        order_path = urlsplit(started_order.headers["Location"]).path.rstrip("/")
        phone = simulator_process["phone"]
        requests.post(phone + "sim/open", json={"personalNumber": PNR}, timeout=10)
        order_ref = next(
            o["orderRef"]
            for o in requests.get(phone + "sim/orders", timeout=10).json()["orders"]
            if o.get("status") == "pending"
        )
        approved = requests.post(phone + "sim/approve", json={"orderRef": order_ref}, timeout=10)
        assert approved.status_code == 200, approved.text

        def finished():
            state = browser.get(base + order_path + "/status", timeout=10).json()
            return state if state.get("done") else None

        state = _wait(finished, "the BankID order collected by the worker", 60, stack)
        assert state["status"] == "complete", state
        home = browser.get(base + "/", timeout=30).text
        assert "BankID" in home

        # 5. Everything is still running; the worker logged the visit as JSON.
        time.sleep(1)
        assert stack.alive() == {"web": None, "worker": None, "beat": None}
        visit = stack.log("worker").splitlines()[visit_from:]
        entries = [json.loads(line) for line in visit if line.strip()]
        assert entries and all({"time", "level", "logger", "message"} <= set(e) for e in entries)
        text = "\n".join(visit)
        assert PHONE_E164 not in text and PNR not in text and code not in text
        beat = [json.loads(line) for line in stack.log("beat").splitlines() if line.startswith("{")]
        assert any(e["logger"].startswith("celery.beat") for e in beat), stack.log("beat")
    finally:
        stack.stop()
    print(f"\nproduction install on Python {version.stdout.strip()}:")
    print(f"  clean clone to installed venv: {timings['install']:.1f} s")
    print(f"  clean clone to /healthz/ready: {timings['ready']:.1f} s")
    print("  worker log of the visit:")
    for line in visit:
        print("   ", line)
