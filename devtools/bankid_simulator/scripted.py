"""The scripted phone: a JSON API under ``/sim/`` that tests use to play the user.

POST (``Content-Type: application/json``)::

    /sim/scan     {"qr": "bankid.<token>.<time>.<code>"}   open by QR (HMAC checked)
    /sim/open     {"autoStartToken"|"personalNumber"|"orderRef": ...}
    /sim/approve  {"orderRef", "personalNumber"?, "name"?, "deviceIp"?, "risk"?}
                  (opens the order first if nothing opened it yet)
    /sim/cancel   {"orderRef"}                  the user presses Avbryt: userCancel
    /sim/decline  {"orderRef"}                  phone order: userDeclinedCall
    /sim/fail     {"orderRef", "hintCode"}      e.g. certificateErr, transactionRiskBlocked
    /sim/hint     {"orderRef", "hintCode"}      pending hint, e.g. started, userMrtd
    /sim/config   {"maintenance": true, "startTimeout": 1, "risk": "high", ...,
                   "injectError": {"errorCode": "internalError", "count": 1}}
    /sim/reset    {}                            forget orders, restore settings

GET ``/sim/orders``, ``/sim/config``, ``/sim/stats``.

Answers ``{"order": {...}}`` (no secrets) or ``{"error", "message", "messageSv"}``.
"""

from __future__ import annotations

from typing import Any

from .orders import Order, PhoneError
from .state import SimulatorState
from .wsgi import Request, Response, json_response

_STATUS = {"unknown_order": 404, "bad_request": 400, "qr_format": 400, "pnr_invalid": 400}


class ScriptedPhone:
    """Handles ``/sim/...`` requests for the phone WSGI app."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def handle(self, request: Request) -> Response:
        action = request.path.removeprefix("/sim/").strip("/")
        try:
            if request.method == "GET":
                return self._read(action)
            if request.method != "POST":
                return _error(405, "method_not_allowed", "Use GET or POST")
            # JSON only: a browser cannot send this cross-site without CORS.
            if request.content_type.split(";")[0].strip().lower() != "application/json":
                return _error(415, "unsupported_media_type", "Send application/json")
            try:
                body = request.json() if request.body else {}
            except ValueError:
                return _error(400, "bad_request", "Invalid JSON")
            if not isinstance(body, dict):
                return _error(400, "bad_request", "Send a JSON object")
            return self._act(action, body, request)
        except PhoneError as error:
            status = _STATUS.get(error.code, 409)
            return json_response(
                status, {"error": error.code, "message": error.english, "messageSv": error.swedish}
            )
        except (ValueError, TypeError) as error:
            return _error(400, "bad_request", str(error))

    def _read(self, action: str) -> Response:
        if action == "orders":
            return json_response(200, {"orders": [o.summary() for o in self.state.orders()]})
        if action == "config":
            return json_response(200, self.state.config.to_json())
        if action == "stats":
            return json_response(200, dict(self.state.stats))
        return _error(404, "not_found", "No such simulator endpoint")

    def _act(self, action: str, body: dict[str, Any], request: Request) -> Response:
        state = self.state
        if action == "scan":
            return _order(state.scan(_text(body, "qr")))
        if action == "open":
            return _order(
                state.open(
                    order_ref=body.get("orderRef"),
                    auto_start_token=body.get("autoStartToken"),
                    personal_number=body.get("personalNumber"),
                )
            )
        if action == "approve":
            order_ref = _text(body, "orderRef")
            if state.get(order_ref).picked_up_at is None:
                state.open(order_ref=order_ref)
            return _order(
                state.approve(
                    order_ref,
                    personal_number=body.get("personalNumber"),
                    name=body.get("name"),
                    device_ip=body.get("deviceIp") or request.remote_addr or "127.0.0.1",
                    risk=body.get("risk"),
                )
            )
        if action == "cancel":
            return _order(state.user_cancel(_text(body, "orderRef")))
        if action == "decline":
            return _order(state.decline_call(_text(body, "orderRef")))
        if action == "fail":
            return _order(state.fail(_text(body, "orderRef"), _text(body, "hintCode")))
        if action == "hint":
            return _order(state.set_hint(_text(body, "orderRef"), _text(body, "hintCode")))
        if action == "config":
            return self._configure(body)
        if action == "reset":
            state.reset()
            return json_response(200, {})
        return _error(404, "not_found", "No such simulator endpoint")

    def _configure(self, body: dict[str, Any]) -> Response:
        values = dict(body)
        inject = values.pop("injectError", None)
        if inject is not None:
            if not isinstance(inject, dict):
                raise ValueError("injectError must be an object")
            count = inject.get("count", 1)
            if not isinstance(count, int):
                raise ValueError("injectError.count must be a whole number")
            self.state.inject_error(_text(inject, "errorCode"), count)
        config = self.state.configure(values)
        return json_response(200, config.to_json())


def _order(order: Order) -> Response:
    return json_response(200, {"order": order.summary()})


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} is required")
    return value


def _error(status: int, code: str, message: str) -> Response:
    return json_response(status, {"error": code, "message": message, "messageSv": message})
