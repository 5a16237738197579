"""Serve the demo: the portal (gunicorn), a Celery worker and the BankID
simulator, stopped together with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand

SIM_PORT = 8443
SIM_PHONE_PORT = 8444


class Command(BaseCommand):
    help = "Run the demo portal with a worker and the BankID simulator."

    def handle(self, *args, **options):
        port = os.environ.get("PORT", "8000")
        env = dict(os.environ)
        procs: list[tuple[str, subprocess.Popen]] = []
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        if "bankid_simulator" in get_commands():
            certs = Path(settings.DATA_DIR) / "bankid-sim"
            env.update(
                BANKID_URL=f"https://127.0.0.1:{SIM_PORT}/rp/v6.0/",
                BANKID_CA=str(certs / "ca.pem"),
                BANKID_CERT=str(certs / "rp-cert.pem"),
                BANKID_KEY=str(certs / "rp-key.pem"),
                BANKID_SIMULATOR_PHONE_URL=f"http://127.0.0.1:{SIM_PHONE_PORT}/",
            )
            procs.append(
                (
                    "bankid-simulator",
                    subprocess.Popen(
                        [
                            *manage,
                            "bankid_simulator",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            str(SIM_PORT),
                            "--phone-port",
                            str(SIM_PHONE_PORT),
                            "--certs-dir",
                            str(certs),
                        ],
                        env=env,
                    ),
                )
            )
        procs.append(
            (
                "worker",
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "worker",
                        "--loglevel",
                        "INFO",
                        "--concurrency",
                        "2",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    env=env,
                ),
            )
        )
        procs.append(
            (
                "web",
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "portal.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--threads",
                        "4",
                        "--access-logfile",
                        "-",
                    ],
                    env=env,
                ),
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Självserviceportalen demo: http://127.0.0.1:{port}/\n"
                "  User:      demo / Demo-Portal-2026!\n"
                "  Helpdesk:  helpdesk / Demo-Helpdesk-2026!   (admin: http://127.0.0.1:"
                f"{port}/admin/)\n"
                "  Admin:     admin / Demo-Admin-2026!\n"
                f"  BankID simulator phone page: http://127.0.0.1:{SIM_PHONE_PORT}/\n"
                "  SMS codes are printed here in the console.  Ctrl-C stops everything.\n"
            )
        )
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in procs:
                    if proc.poll() is not None:
                        self.stderr.write(
                            f"{name} stopped (exit {proc.returncode}); stopping the demo"
                        )
                        stopping = True
                time.sleep(0.5)
        finally:
            for _, proc in procs:
                if proc.poll() is None:
                    proc.terminate()
            for _, proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
