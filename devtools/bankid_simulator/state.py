"""The simulator's orders and their state machine, in memory and thread-safe.

pending/outstandingTransaction --(QR scanned, app opened)--> pending/userSign
    --(approve)--> complete
    --(user cancels)--> failed/userCancel
not opened within ``start_timeout`` --> failed/startFailed
not complete within ``order_lifetime`` --> failed/expiredTransaction
new order for the same personal number --> failed/cancelled (+ alreadyInProgress)

Timeouts are applied lazily, whenever an order is looked at, using the
injectable ``clock`` (default ``time.monotonic``).
"""

from __future__ import annotations

import collections
import copy
import hashlib
import hmac
import math
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from services.bankid.pnr import InvalidPersonalNumber, normalize_personal_number

from .config import ERROR_STATUS, RISK_LEVELS, SimulatorConfig
from .orders import COMPLETE, FAILED, PENDING, ApiError, Order, PhoneError
from .persons import DEFAULT_PERSONAL_NUMBER, completion_data, person_for

_QR = re.compile(r"bankid\.([0-9A-Za-z-]+)\.(0|[1-9][0-9]{0,6})\.([0-9a-f]{64})")
_NOT_OPENED_HINTS = {"outstandingTransaction", "noClient"}


class SimulatorState:
    """Everything the API and the phone share. All methods are thread-safe and
    return copies of orders, never the live objects."""

    def __init__(
        self, config: SimulatorConfig | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self._initial_config = copy.deepcopy(config or SimulatorConfig())
        self.config = copy.deepcopy(self._initial_config)
        self._orders: dict[str, Order] = {}
        self._by_qr_token: dict[str, str] = {}
        self._by_autostart: dict[str, str] = {}
        self._injected: collections.deque[str] = collections.deque()
        self._last_purge = 0.0
        self.stats: collections.Counter[str] = collections.Counter()

    # -- control --------------------------------------------------------------

    def configure(self, values: dict[str, Any]) -> SimulatorConfig:
        """Change settings (raises ValueError for an unknown key or bad value)."""
        with self._lock:
            self.config = self.config.updated(values)
            return copy.deepcopy(self.config)

    def inject_error(self, error_code: str, count: int = 1) -> None:
        """Make the next ``count`` RP API calls answer with ``error_code``."""
        if error_code not in ERROR_STATUS:
            raise ValueError(f"unknown errorCode {error_code!r}")
        with self._lock:
            self._injected.extend([error_code] * max(0, count))

    def reset(self) -> None:
        """Forget every order, injected error and setting change."""
        with self._lock:
            self.config = copy.deepcopy(self._initial_config)
            self._orders.clear()
            self._by_qr_token.clear()
            self._by_autostart.clear()
            self._injected.clear()
            self.stats.clear()

    # -- RP API -------------------------------------------------------------------

    def check_available(self, endpoint: str) -> None:
        """Count the call; raise the maintenance or injected error if any."""
        with self._lock:
            self.stats[endpoint] += 1
            if self.config.maintenance:
                raise ApiError("maintenance", "Service unavailable, try again later")
            if self._injected:
                code = self._injected.popleft()
                raise ApiError(code, f"Simulated {code}")

    def start_order(self, order: Order) -> Order:
        """Register a new order, or raise alreadyInProgress (which ends the running one)."""
        with self._lock:
            now = self._clock()
            self._purge(now)
            if order.personal_number:
                running = [
                    o
                    for o in self._orders.values()
                    if o.personal_number == order.personal_number and self._refresh(o, now)
                ]
                for other in running:
                    self._finish(other, FAILED, "cancelled", now)
                if running:
                    raise ApiError(
                        "alreadyInProgress", "Order already in progress for personalNumber"
                    )
            order.created_at = now
            self._orders[order.order_ref] = order
            if order.qr_start_token:
                self._by_qr_token[order.qr_start_token] = order.order_ref
            if order.auto_start_token:
                self._by_autostart[order.auto_start_token] = order.order_ref
            return copy.deepcopy(order)

    def collect(self, order_ref: str) -> dict[str, Any]:
        with self._lock:
            order = self._live(order_ref, self._clock())
            if order is None:
                raise ApiError("invalidParameters", "No such order")
            if order.is_final:
                if self.config.collect_once and order.final_collects >= 1:
                    raise ApiError("invalidParameters", "Order already collected")
                order.final_collects += 1
            return copy.deepcopy(order.collect_response())

    def cancel(self, order_ref: str) -> None:
        with self._lock:
            if self._live(order_ref, self._clock()) is None:
                raise ApiError("invalidParameters", "No such order")
            self._forget(order_ref)

    # -- phone side -----------------------------------------------------------------

    def scan(self, payload: str) -> Order:
        """Open an order by its QR content; the HMAC and the time must be right."""
        match = _QR.fullmatch(payload.strip())
        if match is None:
            raise PhoneError("qr_format")
        token, shown_time, code = match.groups()
        with self._lock:
            now = self._clock()
            order = self._orders.get(self._by_qr_token.get(token, ""))
            if order is None:
                raise PhoneError("qr_unknown")
            if not self._refresh(order, now):
                raise PhoneError("not_pending")
            expected = hmac.new(
                (order.qr_start_secret or "").encode(), shown_time.encode(), hashlib.sha256
            ).hexdigest()
            if not hmac.compare_digest(expected, code):
                raise PhoneError("qr_code")
            elapsed = math.floor(now - order.created_at)
            if abs(elapsed - int(shown_time)) > self.config.qr_tolerance:
                raise PhoneError("qr_time")
            return self._open(order, now)

    def open(
        self,
        *,
        order_ref: str | None = None,
        auto_start_token: str | None = None,
        personal_number: str | None = None,
    ) -> Order:
        """Open an order in "the app": by autostart token, by the person's number
        (their own phone gets the order) or, for scripts, by orderRef."""
        with self._lock:
            now = self._clock()
            if auto_start_token is not None:
                order = self._orders.get(self._by_autostart.get(auto_start_token, ""))
            elif personal_number is not None:
                pnr = _normalize(personal_number)
                candidates = [
                    o
                    for o in self._orders.values()
                    if o.personal_number == pnr and self._refresh(o, now)
                ]
                if not candidates:
                    raise PhoneError("no_order")
                order = max(candidates, key=lambda o: o.created_at)
            else:
                order = self._orders.get(order_ref or "")
            if order is None:
                raise PhoneError("unknown_order")
            if not self._refresh(order, now):
                raise PhoneError("not_pending")
            return self._open(order, now)

    def approve(
        self,
        order_ref: str,
        *,
        personal_number: str | None = None,
        name: str | None = None,
        device_ip: str = "127.0.0.1",
        risk: str | None = None,
    ) -> Order:
        """Complete an opened order as the person (the required one, if any);
        ``risk`` overrides the configured risk level for this order."""
        with self._lock:
            order = self._pending(order_ref)
            if order.picked_up_at is None:
                raise PhoneError("not_open")
            if risk is not None and risk not in RISK_LEVELS:
                raise ValueError("risk must be low, moderate, high or empty")
            typed = _normalize(personal_number) if personal_number else None
            if order.personal_number:
                if typed and typed != order.personal_number:
                    raise PhoneError("wrong_person")
                pnr = order.personal_number
            else:
                pnr = typed or DEFAULT_PERSONAL_NUMBER
            order.completion = completion_data(
                person=person_for(pnr, name),
                device_ip=device_ip,
                order_kind=order.kind,
                requirement=order.requirement,
                user_visible_data=order.user_visible_data,
                return_risk=order.return_risk,
                risk=self.config.risk if risk is None else risk,
            )
            self._finish(order, COMPLETE, None, self._clock())
            return copy.deepcopy(order)

    def user_cancel(self, order_ref: str) -> Order:
        """The user pressed Avbryt in the app: failed/userCancel."""
        return self.fail(order_ref, "userCancel")

    def decline_call(self, order_ref: str) -> Order:
        """The user says they are not on a call with the RP: failed/userDeclinedCall."""
        with self._lock:
            if not self._pending(order_ref).is_phone:
                raise PhoneError("not_phone")
            return self.fail(order_ref, "userDeclinedCall")

    def fail(self, order_ref: str, hint_code: str) -> Order:
        """End a pending order as failed with any hint code (certificateErr, ...)."""
        with self._lock:
            order = self._pending(order_ref)
            self._finish(order, FAILED, hint_code, self._clock())
            return copy.deepcopy(order)

    def set_hint(self, order_ref: str, hint_code: str) -> Order:
        """Show another pending hint (started, userMrtd, noClient, ...)."""
        with self._lock:
            order = self._pending(order_ref)
            order.hint_code = hint_code
            if hint_code not in _NOT_OPENED_HINTS and order.picked_up_at is None:
                order.picked_up_at = self._clock()
            return copy.deepcopy(order)

    def get(self, order_ref: str) -> Order:
        with self._lock:
            order = self._orders.get(order_ref)
            if order is None:
                raise PhoneError("unknown_order")
            self._refresh(order, self._clock())
            return copy.deepcopy(order)

    def orders(self) -> list[Order]:
        """Every order still known, newest first."""
        with self._lock:
            now = self._clock()
            self._purge(now)
            for order in self._orders.values():
                self._refresh(order, now)
            found = sorted(self._orders.values(), key=lambda o: o.created_at, reverse=True)
            return copy.deepcopy(found)

    # -- internals ------------------------------------------------------------------

    def _pending(self, order_ref: str) -> Order:
        order = self._orders.get(order_ref)
        if order is None:
            raise PhoneError("unknown_order")
        if not self._refresh(order, self._clock()):
            raise PhoneError("not_pending")
        return order

    def _open(self, order: Order, now: float) -> Order:
        if order.picked_up_at is not None:
            raise PhoneError("already_open")
        order.picked_up_at = now
        if order.is_phone:
            order.hint_code = "userCallConfirm"
        elif order.requirement.get("mrtd"):
            order.hint_code = "userMrtd"
        else:
            order.hint_code = "userSign"
        return copy.deepcopy(order)

    def _refresh(self, order: Order, now: float) -> bool:
        """Apply timeouts; True while the order is still pending."""
        if order.is_final:
            return False
        deadlines = [(order.created_at + self.config.order_lifetime, "expiredTransaction")]
        if order.picked_up_at is None and not order.is_phone:
            deadlines.append((order.created_at + self.config.start_timeout, "startFailed"))
        due, hint = min(deadlines)
        if now >= due:
            self._finish(order, FAILED, hint, due)
            return False
        return True

    def _finish(self, order: Order, status: str, hint: str | None, at: float) -> None:
        order.status, order.hint_code, order.finished_at = status, hint, at

    def _live(self, order_ref: str, now: float) -> Order | None:
        """The order, refreshed; None if unknown or no longer collectable."""
        self._purge(now)
        order = self._orders.get(order_ref)
        if order is None:
            return None
        self._refresh(order, now)
        if self._retention_over(order, now):
            self._forget(order_ref)
            return None
        return order

    def _retention_over(self, order: Order, now: float) -> bool:
        if order.finished_at is None:
            return False
        keep = (
            self.config.complete_retention
            if order.status == COMPLETE
            else self.config.failed_retention
        )
        return now - order.finished_at > keep

    def _purge(self, now: float) -> None:
        # Bound memory: drop orders that can no longer be collected. A scan of
        # every order, so at most once a second; _live() checks one order exactly.
        if now - self._last_purge < 1.0:
            return
        self._last_purge = now
        for order in list(self._orders.values()):
            self._refresh(order, now)
            if self._retention_over(order, now):
                self._forget(order.order_ref)

    def _forget(self, order_ref: str) -> None:
        order = self._orders.pop(order_ref)
        self._by_qr_token.pop(order.qr_start_token or "", None)
        self._by_autostart.pop(order.auto_start_token or "", None)


def _normalize(personal_number: str) -> str:
    try:
        return normalize_personal_number(personal_number)
    except InvalidPersonalNumber:
        raise PhoneError("pnr_invalid") from None


__all__ = ["PENDING", "SimulatorState"]
