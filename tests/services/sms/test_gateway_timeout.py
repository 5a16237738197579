"""A gateway that accepts the connection and then never answers."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from services.sms.gateways import HttpBackend, SmsError


class SilentServer:
    """Accepts connections on 127.0.0.1 and holds them for 30 s without a byte."""

    def __init__(self, hold: float = 30.0) -> None:
        self.hold = hold
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.hung_up_by_client = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        conn.settimeout(self.hold)
        try:
            while conn.recv(65536):  # read the request, answer nothing
                pass
            self.hung_up_by_client += 1  # the client closed before we ever answered
        except (TimeoutError, OSError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def hanging_gateway(settings, silent_server):
    settings.SMS_BACKEND = "services.sms.gateways.HttpBackend"
    settings.SMS_HTTP_URL = silent_server.url
    settings.SMS_TIMEOUT = 0.3
    settings.SMS_RETRIES = 1
    settings.SMS_RETRY_BACKOFF = 0
    return silent_server


def test_a_silent_gateway_times_out_with_the_configured_timeout(hanging_gateway):
    with pytest.raises(SmsError) as err:
        HttpBackend().send(to="+46701234512", text="Din kod är 123456.")
    assert (err.value.code, err.value.permanent) == ("timeout", False)
    # One try and one retry, each abandoned by us long before the server's 30 s.
    assert hanging_gateway.connections == 2
    assert _eventually(lambda: hanging_gateway.hung_up_by_client == 2)


def _eventually(check, tries: int = 50) -> bool:
    for _ in range(tries):
        if check():
            return True
        time.sleep(0.05)
    return check()
