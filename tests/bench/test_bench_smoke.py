"""The bench keeps working: ``python -m bench --smoke`` runs every section with
tiny counts against real PostgreSQL, Redis, a Samba AD DC and the BankID
simulator, and writes its JSON. Nothing about speed is asserted: benchmarks
never fail CI for being slow (see bench/ and README.md, "Benchmarks")."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("status_poll", "collect_capacity", "login", "reset", "memory")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _samba_can_run() -> bool:
    return os.geteuid() == 0 and bool(shutil.which("samba") or os.path.exists("/usr/sbin/samba"))


def test_a_smoke_run_writes_every_section(tmp_path):
    if not (_listening(5432) and _listening(6379)):
        if os.environ.get("CI"):
            pytest.fail("the bench needs PostgreSQL and Redis on 127.0.0.1", pytrace=False)
        pytest.skip("the bench needs PostgreSQL (5432) and Redis (6379) on 127.0.0.1")
    output = tmp_path / "smoke.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    log = f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    assert result.returncode == 0, log
    data = json.loads(output.read_text())
    assert data["mode"] == "smoke"
    assert data["machine"]["cores"] == os.cpu_count()
    assert data["table_markdown"].startswith("| what |")
    for name in SECTIONS:
        section = data[name]
        if name in ("login", "reset") and not _samba_can_run():
            assert "skipped" in section or "met" in section, (name, section)
            continue
        assert "skipped" not in section, (name, section, log)
        assert "met" in section and "target" in section, (name, section)
    assert data["status_poll"]["db_writes"]["query_log"]["polls"] > 0
    assert data["collect_capacity"]["steps"], data["collect_capacity"]
    assert data["memory"]["web_worker_rss_mb"] > 0
