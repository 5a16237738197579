"""``manage.py bankid_simulator``: run the local BankID simulator.

On first run it creates a local CA, a server certificate and an RP client
certificate in ``--certs-dir`` (default ``<PORTAL_DATA_DIR>/bankid-sim/``),
prints the settings that point the portal at it, and serves until Ctrl-C.
"""

from __future__ import annotations

import ipaddress
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.bankid_simulator import BankIDSimulator, SimulatorConfig
from devtools.bankid_simulator.certs import DEFAULT_HOSTS


class Command(BaseCommand):
    help = (
        "Run the local BankID simulator: the RP API v6.0 over mutual TLS and a "
        "phone page (plain HTTP) that plays the BankID app."
    )
    # The simulator needs neither the database nor the URLconf.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="API address (127.0.0.1)")
        parser.add_argument("--port", type=int, default=8443, help="API port (8443)")
        parser.add_argument(
            "--phone-host", default="127.0.0.1", help="phone page address (127.0.0.1)"
        )
        parser.add_argument("--phone-port", type=int, default=8444, help="phone page port (8444)")
        parser.add_argument("--certs-dir", help="certificates (<PORTAL_DATA_DIR>/bankid-sim)")
        parser.add_argument(
            "--hostname",
            action="append",
            default=[],
            help="extra name or IP for the server certificate (repeatable)",
        )
        parser.add_argument("--start-timeout", type=float, default=30.0, help="seconds (30)")
        parser.add_argument("--order-lifetime", type=float, default=180.0, help="seconds (180)")
        parser.add_argument(
            "--collect-once",
            action="store_true",
            help="a second collect after a final state gives invalidParameters",
        )
        parser.add_argument(
            "--setup-only",
            action="store_true",
            help="create the certificates, print the settings and exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        certs_dir = Path(options["certs_dir"] or _default_certs_dir())
        config = SimulatorConfig(
            start_timeout=options["start_timeout"],
            order_lifetime=options["order_lifetime"],
            collect_once=options["collect_once"],
        )
        hosts = DEFAULT_HOSTS + tuple(h for h in options["hostname"] if h not in DEFAULT_HOSTS)
        try:
            simulator = BankIDSimulator(
                certs_dir,
                config=config,
                host=options["host"],
                port=options["port"],
                phone_host=options["phone_host"],
                phone_port=options["phone_port"],
                hosts=hosts,
            )
        except OSError as exc:
            raise CommandError(f"Cannot prepare {certs_dir}: {exc}") from exc
        if not _is_loopback(options["phone_host"]):
            self.stderr.write(
                self.style.WARNING(
                    "The phone page has no login: anyone who reaches it can approve orders."
                )
            )
        if options["setup_only"]:
            self._print_settings(simulator, f"{_url_host(options['host'])}:{options['port']}")
            return
        try:
            simulator.start()
        except OSError as exc:
            raise CommandError(f"Cannot listen: {exc}") from exc
        self._print_settings(simulator, None)
        self.stdout.write(f"Phone page (the BankID app): {simulator.phone_url}")
        self.stdout.write("Ctrl-C stops the simulator.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()

    def _print_settings(self, simulator: BankIDSimulator, api_host: str | None) -> None:
        values = (
            simulator.client_settings()
            if api_host is None
            else {
                "BANKID_URL": f"https://{api_host}/rp/v6.0/",
                "BANKID_CA": str(simulator.certs.ca_file),
                "BANKID_CERT": str(simulator.certs.client_cert_file),
                "BANKID_KEY": str(simulator.certs.client_key_file),
            }
        )
        self.stdout.write("Settings for the portal (environment):")
        for name, value in values.items():
            self.stdout.write(f"{name}={value}")


def _default_certs_dir() -> Path:
    data_dir = getattr(settings, "DATA_DIR", None) or Path(settings.BASE_DIR) / "var"
    return Path(data_dir) / "bankid-sim"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):  # noqa: S104
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
