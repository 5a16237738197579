"""HTTP load on loopback: ``wrk`` when installed (Debian: ``apt-get install wrk``),
else a small closed-loop generator in Python (threads + http.client).

Both are bounded in time (and the Python one in count), and take a list of
(path, cookie) pairs that they go through in turn, so that many sessions poll
their own orders.
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    tool: str
    connections: int
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "rps": round(self.rps, 1)}


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run(
    port: int,
    targets: list[tuple[str, str]],
    *,
    seconds: float,
    connections: int,
    max_requests: int = 1_000_000,
    tool: str = "auto",
) -> LoadResult:
    if tool == "wrk" or (tool == "auto" and have_wrk()):
        return _wrk(port, targets, seconds=seconds, connections=connections)
    return _python(
        port, targets, seconds=seconds, connections=connections, max_requests=max_requests
    )


# --- wrk ----------------------------------------------------------------------------

_LUA = """
local targets = %(targets)s
local n = #targets
local i = 0
setup = function(thread)
  thread:set("offset", math.random(n))
end
init = function(args)
  i = tonumber(offset) or 0
end
request = function()
  i = i + 1
  local t = targets[(i %% n) + 1]
  return wrk.format("GET", t[1], {["Cookie"] = t[2]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"mean_us": %%f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50.0), latency:percentile(99.0), latency.mean))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for ASCII


def _wrk(port: int, targets, *, seconds: float, connections: int) -> LoadResult:
    table = "{" + ", ".join(f"{{{_lua_string(p)}, {_lua_string(c)}}}" for p, c in targets) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % {"targets": table})
    try:
        threads = max(1, min(2, connections))
        completed = subprocess.run(
            [
                "wrk",
                "-t",
                str(threads),
                "-c",
                str(connections),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://{HOST}:{port}{targets[0][0]}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next((s for s in completed.stdout.splitlines() if s.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    data = json.loads(line[len("WRKJSON ") :])
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    return LoadResult(
        tool="wrk",
        connections=connections,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
    )


# --- Python -----------------------------------------------------------------------------


def _python(
    port: int, targets, *, seconds: float, connections: int, max_requests: int
) -> LoadResult:
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    budget = [max_requests]
    budget_lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def take() -> bool:
        with budget_lock:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            return True

    def client(index: int) -> None:
        conn: http.client.HTTPConnection | None = None
        i = index
        while time.monotonic() < stop_at and take():
            path, cookie = targets[i % len(targets)]
            i += 1
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            latencies[index].append(time.perf_counter() - started)
        if conn is not None:
            conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - began
    flat = sorted(v for per in latencies for v in per)
    return LoadResult(
        tool="python",
        connections=connections,
        requests=len(flat),
        seconds=elapsed,
        errors=sum(errors),
        p50_ms=percentile(flat, 50) * 1000,
        p99_ms=percentile(flat, 99) * 1000,
        mean_ms=(statistics.fmean(flat) * 1000) if flat else 0.0,
    )


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
