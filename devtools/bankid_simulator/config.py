"""Settings of a running simulator; changeable at run time through ``/sim/config``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# HTTP status of each RP API errorCode (reference §1.5).
ERROR_STATUS = {
    "alreadyInProgress": 400,
    "invalidParameters": 400,
    "unauthorized": 401,
    "notFound": 404,
    "methodNotAllowed": 405,
    "requestTimeout": 408,
    "unsupportedMediaType": 415,
    "tooManyRequests": 429,
    "internalError": 500,
    "maintenance": 503,
}


RISK_LEVELS = ("low", "moderate", "high", "")


@dataclass
class SimulatorConfig:
    """Lifetimes are in seconds; tests shorten them instead of waiting."""

    #: An order whose QR code is not scanned (or app not opened) in time fails
    #: with ``startFailed``.
    start_timeout: float = 30.0
    #: An order not completed in time fails with ``expiredTransaction``.
    order_lifetime: float = 180.0
    #: How long a completed / failed order can still be collected.
    complete_retention: float = 180.0
    failed_retention: float = 300.0
    #: As BankID: "collecting twice after a final state returns
    #: invalidParameters": only the first collect after the final state answers
    #: (False keeps answering until the retention ends, for old tests of clients).
    collect_once: bool = True
    #: Allowed difference (s) between the QR code's time and the real elapsed time.
    qr_tolerance: int = 3
    #: Every RP API call answers 503 maintenance while this is on.
    maintenance: bool = False
    #: Refuse unknown top-level fields (catches v5-style top-level personalNumber).
    strict_fields: bool = True
    #: Shown on the phone when the client certificate has no usable name.
    rp_name: str = "Självserviceportalen"
    #: ``completionData.risk`` of an order started with ``returnRisk``: low,
    #: moderate or high; empty leaves it out (BankID could not calculate it).
    #: ``/sim/approve`` can give one order its own ``risk``.
    risk: str = "low"

    def updated(self, values: dict[str, Any]) -> SimulatorConfig:
        """A copy with ``values`` (snake_case or camelCase keys) applied.

        Raises ValueError for an unknown key or a value of the wrong type.
        """
        fields = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for raw_key, value in values.items():
            key = _snake(raw_key)
            if key not in fields:
                raise ValueError(f"unknown setting {raw_key!r}")
            current = getattr(self, key)
            if isinstance(current, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{raw_key} must be true or false")
            elif isinstance(current, int | float):
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise ValueError(f"{raw_key} must be a non-negative number")
                value = type(current)(value)
            elif not isinstance(value, str):
                raise ValueError(f"{raw_key} must be a string")
            if key == "risk" and value not in RISK_LEVELS:
                raise ValueError("risk must be low, moderate, high or empty")
            changes[key] = value
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {_camel(k): v for k, v in dataclasses.asdict(self).items()}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
