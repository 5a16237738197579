"""HTTP/1.1 servers for the simulator's WSGI apps, with optional mutual TLS.

Standard library only: ``ThreadingHTTPServer`` with a small WSGI bridge that
keeps connections alive (the client pools them, like with the real BankID).
The TLS handshake runs in the connection's own thread, so a client that
stalls or fails the handshake does not hold up the others.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .wsgi import CLIENT_CERT_KEY, WSGIApp

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


def server_tls_context(*, cert_file: str, key_file: str, ca_file: str) -> ssl.SSLContext:
    """TLS 1.2+, our server certificate, and a client certificate REQUIRED and
    verified against ``ca_file`` (the simulator's CA, not the system store)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    context.load_verify_locations(cafile=ca_file)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BankIDSimulator/6.0"
    timeout = 60  # idle keep-alive connections end after this
    # Headers and body are separate writes: without this, Nagle plus delayed ACK
    # add ~40 ms to every kept-alive request.
    disable_nagle_algorithm = True

    def _run(self) -> None:
        if self.headers.get("Transfer-Encoding"):
            self._json_error(411, "invalidParameters", "Send Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._json_error(413, "invalidParameters", "Request body too large")
            return
        body = self.rfile.read(length) if length else b""
        status_headers: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            status_headers[:] = [status, headers]

        chunks = self.server.app(self._environ(body), start_response)  # type: ignore[attr-defined]
        payload = b"".join(chunks)
        status, headers = status_headers
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def version_string(self) -> str:
        return self.server_version

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _run

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https" if isinstance(self.connection, ssl.SSLSocket) else "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = value
        if isinstance(self.connection, ssl.SSLSocket):
            environ[CLIENT_CERT_KEY] = self.connection.getpeercert()
        return environ

    def _json_error(self, code: int, error_code: str, details: str) -> None:
        # The RP API's error shape ({"errorCode", "details"}), as every other answer.
        text = json.dumps({"errorCode": error_code, "details": details}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(text)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logger.debug("%s %s", self.address_string(), format % args)


class SimulatorHTTPServer(ThreadingHTTPServer):
    """Serves one WSGI app; with ``ssl_context`` every connection is TLS."""

    daemon_threads = True
    block_on_close = False  # idle keep-alive threads must not delay shutdown
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: WSGIApp, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.app = app
        self.ssl_context = ssl_context
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(_Handler.timeout)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            # A client without an acceptable certificate ends here.
            logger.info("TLS handshake with %s failed: %s", client_address[0], exc)
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            with contextlib.suppress(OSError):
                tls.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("connection from %s ended with an error", client_address[0], exc_info=True)

    @property
    def port(self) -> int:
        return self.server_address[1]


class ServerThread:
    """Runs a SimulatorHTTPServer in a daemon thread."""

    def __init__(self, server: SimulatorHTTPServer, name: str) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    def start(self) -> ServerThread:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
