"""The BankID simulator in a process of its own, recording when each order is collected.

Run by the bench as ``python -m bench.simproc CERTS_DIR``. It prints one JSON
line (the client settings), then answers JSON commands read from stdin, one
per line, with one JSON line each:

- ``{"cmd": "lag", "t0": ..., "t1": ..., "interval": 2, "refs": [...]}``: how
  late the collects of those orders came between t0 and t1 (``time.monotonic()``,
  which is the same clock in every process on Linux)
- ``{"cmd": "clear"}``: forget the collect log
- ``{"cmd": "quit"}`` (or end of stdin): stop

Lag is the time between two collects of one order minus the interval. An
order that was not collected when due counts as late by the time it has been
waiting; an order never collected in the window, by the whole window.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def lag_stats(
    log: list[tuple[str, float]], *, t0: float, t1: float, interval: float, refs: list[str]
) -> dict:
    """Lag of the collects of ``refs`` seen in [t0, t1]."""
    times: dict[str, list[float]] = defaultdict(list)
    wanted = set(refs)
    since = t0 - 3 * interval
    for ref, at in log:
        if since <= at <= t1 and ref in wanted:
            times[ref].append(at)
    lags: list[float] = []
    collects = 0
    never = 0
    for ref in wanted:
        seen = times.get(ref)
        if not seen:
            never += 1
            lags.append(t1 - t0)
            continue
        seen.sort()
        for before, after in zip(seen, seen[1:], strict=False):
            if after >= t0:
                lags.append(after - before - interval)
        collects += sum(1 for at in seen if at >= t0)
        waiting = t1 - seen[-1] - interval
        if waiting > 0:
            lags.append(waiting)
    window = t1 - t0
    return {
        "orders": len(wanted),
        "collects": collects,
        "collects_per_s": collects / window if window > 0 else 0.0,
        "expected_per_s": len(wanted) / interval,
        "never_collected": never,
        "lag_p50": _percentile(lags, 50),
        "lag_p99": _percentile(lags, 99),
        "lag_max": max(lags) if lags else None,
    }


def main() -> None:
    import django

    django.setup()
    from devtools.bankid_simulator import BankIDSimulator, SimulatorConfig, SimulatorState

    log: list[tuple[str, float]] = []

    class RecordingState(SimulatorState):
        def collect(self, order_ref: str):
            log.append((order_ref, time.monotonic()))  # list.append is atomic
            return super().collect(order_ref)

    # Orders stay pending for the whole bench (nobody scans the QR codes).
    config = SimulatorConfig(start_timeout=3600.0, order_lifetime=3600.0)
    sim = BankIDSimulator(sys.argv[1])
    sim.state = RecordingState(config)
    sim.start()
    lock = threading.Lock()
    try:
        print(json.dumps({"settings": sim.client_settings(), "phone_url": sim.phone_url}))
        sys.stdout.flush()
        for line in sys.stdin:
            command = json.loads(line)
            cmd = command.get("cmd")
            if cmd == "quit":
                break
            if cmd == "clear":
                with lock:
                    log.clear()
                answer: dict = {"ok": True}
            elif cmd == "lag":
                answer = lag_stats(
                    list(log),
                    t0=command["t0"],
                    t1=command["t1"],
                    interval=command["interval"],
                    refs=command["refs"],
                )
            else:
                answer = {"error": f"unknown command {cmd!r}"}
            print(json.dumps(answer))
            sys.stdout.flush()
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
