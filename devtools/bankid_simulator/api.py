"""The simulated RP API v6.0: a WSGI app served behind mutual TLS.

Paths under ``/rp/v6.0/``: ``auth``, ``sign``, ``phone/auth``, ``phone/sign``,
``collect``, ``cancel``. POST only, ``Content-Type`` exactly ``application/json``.
"""

from __future__ import annotations

import logging
from typing import Any

from .config import ERROR_STATUS
from .orders import KINDS, ApiError
from .state import SimulatorState
from .validation import order_from_request, order_ref_from
from .wsgi import Request, Response, StartResponse, json_response

logger = logging.getLogger(__name__)

PREFIX = "/rp/v6.0/"
ENDPOINTS = (*KINDS, "collect", "cancel")


class RPApi:
    """WSGI app of the RP API, sharing ``state`` with the phone app."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except ApiError as error:
            response = error_response(error)
        except Exception:
            logger.exception("BankID simulator: unexpected error")
            response = error_response(ApiError("internalError", "Internal error"))
        return response(start_response)

    def dispatch(self, request: Request) -> Response:
        endpoint = request.path[len(PREFIX) :] if request.path.startswith(PREFIX) else None
        if endpoint not in ENDPOINTS:
            raise ApiError("notFound", "Not found")
        if request.method != "POST":
            raise ApiError("methodNotAllowed", "Method not allowed")
        # BankID accepts exactly application/json, not even with a charset.
        if request.content_type.strip().lower() != "application/json":
            raise ApiError("unsupportedMediaType", "Unsupported media type")
        cert = request.client_cert
        if not cert:
            # The TLS server refuses such clients already; this covers plain HTTP.
            raise ApiError("unauthorized", "Client certificate required")
        self.state.check_available(endpoint)
        try:
            body = request.json()
        except ValueError:
            raise ApiError("invalidParameters", "Invalid JSON") from None
        if not isinstance(body, dict):
            raise ApiError("invalidParameters", "Invalid JSON")
        if endpoint == "collect":
            return json_response(200, self.state.collect(order_ref_from(body)))
        if endpoint == "cancel":
            self.state.cancel(order_ref_from(body))
            return json_response(200, {})
        order = order_from_request(
            endpoint,
            body,
            rp_name=rp_name_from(cert) or self.state.config.rp_name,
            strict=self.state.config.strict_fields,
        )
        started = self.state.start_order(order)
        return json_response(200, started.start_response())


def error_response(error: ApiError) -> Response:
    status = ERROR_STATUS.get(error.error_code, 400)
    headers = []
    if error.error_code == "tooManyRequests":
        headers = [
            ("RateLimit-Limit", "10"),
            ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", "1"),
        ]
    return json_response(status, {"errorCode": error.error_code, "details": error.details}, headers)


def rp_name_from(cert: dict[str, Any]) -> str | None:
    """The RP's display name: the client certificate's organization or CN
    (the real BankID shows the name registered for the RP certificate)."""
    names: dict[str, str] = {}
    for rdn in cert.get("subject", ()):
        for key, value in rdn:
            names.setdefault(key, value)
    return names.get("organizationName") or names.get("commonName")
