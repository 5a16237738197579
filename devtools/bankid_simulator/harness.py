"""Run the simulator inside this process and drive it: for tests and the demo.

    with BankIDSimulator(tmp_path / "certs") as sim:
        client = sim.client()                    # a real BankIDClient, mutual TLS
        order = client.auth("192.0.2.1", personal_number="199001012385")
        sim.scan(order.qr_payload())             # the phone reads the QR code
        sim.approve(order.order_ref)
        assert client.collect(order.order_ref).is_complete

The ``scan``/``approve``/... helpers go through the phone's HTTP ``/sim/`` API,
so they exercise the same code a person's clicks do.
"""

from __future__ import annotations

import os
from typing import Any

import requests

from .api import PREFIX, RPApi
from .certs import DEFAULT_HOSTS, SimulatorCerts, ensure_certificates
from .config import SimulatorConfig
from .phone import PhoneApp
from .server import ServerThread, SimulatorHTTPServer, server_tls_context
from .state import SimulatorState


class SimulatorRequestError(Exception):
    """The scripted phone refused (e.g. a wrong QR code): ``code`` says why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class BankIDSimulator:
    """The RP API over mutual TLS plus the phone over plain HTTP, in threads.

    ``port=0`` / ``phone_port=0`` pick free ports. ``state`` is the shared
    in-memory state (for direct inspection); prefer the HTTP helpers.
    """

    def __init__(
        self,
        certs_dir: str | os.PathLike[str],
        *,
        config: SimulatorConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        phone_host: str = "127.0.0.1",
        phone_port: int = 0,
        hosts: tuple[str, ...] = DEFAULT_HOSTS,
    ) -> None:
        extra = tuple(h for h in (host,) if h not in hosts and h not in ("0.0.0.0", "::"))  # noqa: S104
        self.certs: SimulatorCerts = ensure_certificates(certs_dir, hosts=hosts + extra)
        self.state = SimulatorState(config)
        self._address = (host, port)
        self._phone_address = (phone_host, phone_port)
        self._threads: list[ServerThread] = []
        self._http = requests.Session()
        self._http.trust_env = False

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> BankIDSimulator:
        tls = server_tls_context(
            cert_file=str(self.certs.server_cert_file),
            key_file=str(self.certs.server_key_file),
            ca_file=str(self.certs.ca_file),
        )
        api = SimulatorHTTPServer(self._address, RPApi(self.state), tls)
        phone = SimulatorHTTPServer(self._phone_address, PhoneApp(self.state))
        self._threads = [
            ServerThread(api, "bankid-sim-api").start(),
            ServerThread(phone, "bankid-sim-phone").start(),
        ]
        return self

    def stop(self) -> None:
        for thread in self._threads:
            thread.stop()
        self._threads = []
        self._http.close()

    def __enter__(self) -> BankIDSimulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- where it is --------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """``BANKID_URL`` for the portal, e.g. ``https://127.0.0.1:8443/rp/v6.0/``."""
        return f"https://{_host_for_url(self._threads[0].server)}{PREFIX}"

    @property
    def phone_url(self) -> str:
        """The phone page, e.g. ``http://127.0.0.1:8444/``."""
        return f"http://{_host_for_url(self._threads[1].server)}/"

    def client_settings(self) -> dict[str, str]:
        """The settings that point the portal's BankIDClient at this simulator."""
        return {
            "BANKID_URL": self.api_url,
            "BANKID_CA": str(self.certs.ca_file),
            "BANKID_CERT": str(self.certs.client_cert_file),
            "BANKID_KEY": str(self.certs.client_key_file),
        }

    def client(self, **overrides: Any):
        """A real BankIDClient configured for this simulator."""
        from services.bankid.client import BankIDClient

        options = {
            "url": self.api_url,
            "ca": str(self.certs.ca_file),
            "cert": str(self.certs.client_cert_file),
            "key": str(self.certs.client_key_file),
            "timeout": (3.0, 10.0),
        }
        options.update(overrides)
        return BankIDClient(**options)

    # -- the user's phone (through /sim/) --------------------------------------------

    def scan(self, qr: str) -> dict[str, Any]:
        """Read a QR code's content in "the app"; returns the order summary."""
        return self._post("scan", {"qr": qr})["order"]

    def open(self, **by: str) -> dict[str, Any]:
        """Open by ``orderRef=``, ``autoStartToken=`` or ``personalNumber=``."""
        return self._post("open", by)["order"]

    def approve(
        self,
        order_ref: str,
        *,
        personal_number: str | None = None,
        name: str | None = None,
        risk: str | None = None,
    ) -> dict[str, Any]:
        """Press Godkänn (opens the order first if nothing did); ``risk``: the
        ``completionData.risk`` BankID reports for this order."""
        body: dict[str, Any] = {"orderRef": order_ref}
        if risk is not None:
            body["risk"] = risk
        if personal_number:
            body["personalNumber"] = personal_number
        if name:
            body["name"] = name
        return self._post("approve", body)["order"]

    def user_cancel(self, order_ref: str) -> dict[str, Any]:
        """Press Avbryt: the order fails with userCancel."""
        return self._post("cancel", {"orderRef": order_ref})["order"]

    def decline_call(self, order_ref: str) -> dict[str, Any]:
        return self._post("decline", {"orderRef": order_ref})["order"]

    def fail(self, order_ref: str, hint_code: str) -> dict[str, Any]:
        """End the order as failed with ``hint_code`` (certificateErr, ...)."""
        return self._post("fail", {"orderRef": order_ref, "hintCode": hint_code})["order"]

    def set_hint(self, order_ref: str, hint_code: str) -> dict[str, Any]:
        return self._post("hint", {"orderRef": order_ref, "hintCode": hint_code})["order"]

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Change settings, e.g. ``maintenance=True``, ``start_timeout=0.5``,
        ``inject_error={"errorCode": "internalError", "count": 1}``."""
        body = {}
        for key, value in settings.items():
            head, *rest = key.split("_")
            body[head + "".join(p.capitalize() for p in rest)] = value
        return self._post("config", body)

    def reset(self) -> None:
        """Forget all orders and restore the settings the simulator started with."""
        self._post("reset", {})

    def orders(self) -> list[dict[str, Any]]:
        response = self._http.get(self.phone_url + "sim/orders", timeout=10)
        response.raise_for_status()
        return response.json()["orders"]

    def _post(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._http.post(self.phone_url + "sim/" + action, json=body, timeout=10)
        data = response.json()
        if response.status_code != 200:
            raise SimulatorRequestError(
                response.status_code, data.get("error", "?"), data.get("message", "")
            )
        return data


def _host_for_url(server: SimulatorHTTPServer) -> str:
    host, port = server.server_address[:2]
    if host in ("0.0.0.0", "::"):  # noqa: S104
        host = "127.0.0.1"
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
