"""The demo's SQLite file is shared by web and worker: WAL, a busy timeout and
transactions that take the write lock up front, so a login never meets
"database is locked" while the worker writes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "PORTAL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        **env,
    }
    environ.pop("CACHE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    result = _run(
        """
        import django; django.setup()
        from django.db import connection
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode"); print(c.fetchone()[0])
            c.execute("PRAGMA busy_timeout"); print(c.fetchone()[0])
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


def test_a_writer_waits_for_another_process_write_lock_instead_of_failing(tmp_path):
    """One process holds the write lock for a second (as the worker's beat
    does); another reads then writes in a transaction (as a login does)."""
    setup = _run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0)",
        tmp_path,
    )
    assert setup.returncode == 0, setup.stderr
    holder = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sqlite3, time
                db = sqlite3.connect({str(tmp_path / "portal.sqlite3")!r}, isolation_level=None)
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT INTO django_migrations (app, name, applied) "
                    "VALUES ('beat', 'a write', '2026-01-01')"
                )
                print("locked", flush=True)
                time.sleep(1.5)
                db.execute("COMMIT")
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    result = _run(
        """
        import django; django.setup()
        from django.db import transaction
        from django.contrib.auth import get_user_model
        with transaction.atomic():
            list(get_user_model().objects.all())
            get_user_model().objects.create(username="x")
        print("written")
        """,
        tmp_path,
        SQLITE_BUSY_TIMEOUT="10",
    )
    holder.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "written"
