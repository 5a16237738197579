"""Serve the demo: the portal (gunicorn), a Celery worker with beat and the
BankID simulator, stopped together with Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

# The simulator's ports: DEMO_BANKID_PORT / DEMO_BANKID_PHONE_PORT, else these;
# a busy one is replaced by a free port (the banner shows which).
SIM_PORT = 8443
SIM_PHONE_PORT = 8444


def pick_port(name: str, default: int) -> int:
    """The port in the environment variable ``name`` (taken as given), else
    ``default`` when it is free on 127.0.0.1, else a free port."""
    wanted = os.environ.get(name, "").strip()
    if wanted:
        return int(wanted)
    for port in (default, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError("no free port on 127.0.0.1")


BANNER = """
  Självserviceportalen demo: http://127.0.0.1:{port}/
  User:      demo / Demo-Portal-2026!     (personnummer for BankID: 19900101-2385)
  Helpdesk:  helpdesk / Demo-Helpdesk-2026!   admin site: http://127.0.0.1:{port}/admin/
  Admin:     admin / Demo-Admin-2026!
  BankID simulator phone page: http://127.0.0.1:{phone}/
  SMS codes and e-mail (E-postkod codes) are printed here in the console.  Ctrl-C stops everything.
  Password expiry: erik / Erik-Portal-2026! expires in 3 days; in another terminal:
    make demo-reminders   (manage.py send_password_expiry_reminders, printed here)
  Passkeys: open http://localhost:{port}/ instead (an IP address cannot hold one).
"""


class Command(BaseCommand):
    help = "Run the demo portal with a worker and the BankID simulator."

    def handle(self, *args, **options):
        from devtools.bankid_simulator.certs import ensure_certificates

        port = os.environ.get("PORT", "8000")
        sim_port = pick_port("DEMO_BANKID_PORT", SIM_PORT)
        phone_port = pick_port("DEMO_BANKID_PHONE_PORT", SIM_PHONE_PORT)
        if phone_port == sim_port:
            phone_port = pick_port("", 0)
        data = Path(settings.DATA_DIR)
        certs = ensure_certificates(data / "bankid-sim")
        env = {
            **os.environ,
            "BANKID_URL": f"https://127.0.0.1:{sim_port}/rp/v6.0/",
            "BANKID_CA": str(certs.ca_file),
            "BANKID_CERT": str(certs.client_cert_file),
            "BANKID_KEY": str(certs.client_key_file),
        }
        python = [sys.executable]
        commands = {
            # A person switches to the phone page and types: two minutes to
            # "scan" instead of BankID's 30 seconds.
            "bankid-simulator": [
                *python, str(Path(settings.BASE_DIR) / "manage.py"), "bankid_simulator",
                "--host", "127.0.0.1", "--port", str(sim_port), "--phone-port",
                str(phone_port), "--certs-dir", str(certs.directory), "--start-timeout", "120",
            ],
            "worker": [
                *python, "-m", "celery", "-A", "portal", "worker", "--beat",
                "--schedule", str(data / "celerybeat-schedule"), "--loglevel", "INFO",
                "--concurrency", "2", "--without-gossip", "--without-mingle",
            ],
            "web": [
                *python, "-m", "gunicorn", "portal.wsgi:application", "--bind",
                f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--access-logfile", "-",
            ],
        }  # fmt: skip
        procs = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
        self.stdout.write(self.style.SUCCESS(BANNER.format(port=port, phone=phone_port)))
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit {proc.returncode}); stopping")
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
