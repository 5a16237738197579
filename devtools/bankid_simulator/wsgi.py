"""Just enough WSGI for the simulator's apps (no framework)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

REASONS = {
    200: "OK",
    303: "See Other",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

# Peer certificate of a TLS client, put into the environ by the server.
CLIENT_CERT_KEY = "bankid_sim.client_cert"


class Request:
    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = environ.get("PATH_INFO", "/") or "/"
        self.content_type = environ.get("CONTENT_TYPE", "")
        self.remote_addr = environ.get("REMOTE_ADDR", "")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        self.body = environ["wsgi.input"].read(length) if length > 0 else b""

    def header(self, name: str) -> str:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), "")

    @property
    def client_cert(self) -> dict[str, Any] | None:
        return self.environ.get(CLIENT_CERT_KEY)

    def json(self) -> Any:
        """The body as JSON; raises ValueError."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """An urlencoded form body, first value of each field."""
        fields = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v[0] for k, v in fields.items()}


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, start_response: StartResponse) -> list[bytes]:
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))]
        headers.append(("Cache-Control", "no-store"))
        headers.extend(self.headers)
        start_response(f"{self.status} {REASONS.get(self.status, 'Unknown')}", headers)
        return [self.body]


def json_response(status: int, data: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # BankID answers with this content type.
    return Response(status, body, "application/json;charset=UTF-8", headers or [])


def html_response(status: int, page: str) -> Response:
    headers = [
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        ),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]
    return Response(status, page.encode("utf-8"), "text/html; charset=utf-8", headers)


def redirect(location: str) -> Response:
    return Response(303, b"", headers=[("Location", location)])
