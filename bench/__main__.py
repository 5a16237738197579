"""``python -m bench``: the portal's hot paths, each next to what a user would compare it with.

1. status poll: /bankid/order/<uuid>/status under gunicorn vs a same-size JSON view
2. collect capacity: pending BankID orders one worker keeps on the 2 s cadence
   (with ``collect_profile``: where one collect's CPU goes, and ``scale_out``:
   2 and 4 worker processes sharing 4,000 and 8,000 orders)
3. login: POST /login/ vs a bare LDAPS bind + search against the same DC
4. reset: the password POST after the last proof vs a bare unicodePwd modify
5. memory: RSS of a web and a worker process under the status-poll load

Everything runs on loopback against real PostgreSQL and Redis (a database,
queue and cache prefix of its own, removed at the end), a Samba AD DC
provisioned for the run and the BankID simulator. The machine is shared, so
each result is a ratio against a baseline measured in the same run.

``--only SECTION`` (repeatable) runs that section alone. ``--smoke`` runs
every section with tiny counts (CI runs it so that the bench
keeps working; it asserts nothing about speed). Results go to
``bench/results/latest.json`` (``--output`` elsewhere; smoke runs default to
``bench/results/smoke.tmp``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

from . import procs, report

RESULTS = Path(__file__).resolve().parent / "results"


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            cwd=RESULTS.parent.parent,
        ).stdout.strip()
    except OSError:
        return ""


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny counts (CI)")
    parser.add_argument("--output", type=Path, help="where the JSON goes")
    parser.add_argument(
        "--only",
        action="append",
        choices=[
            "status_poll",
            "collect_capacity",
            "collect_profile",
            "scale_out",
            "login",
            "reset",
        ],
        help="run only these sections (repeatable; memory comes with status_poll)",
    )
    parser.add_argument(
        "--web-workers",
        type=int,
        default=4,
        help="gunicorn --workers, for the portal and the baseline alike (docker-compose: 4)",
    )
    parser.add_argument(
        "--load-tool",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk if installed, else the Python generator",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    output = args.output or RESULTS / ("smoke.tmp" if args.smoke else "latest.json")
    wanted = set(
        args.only
        or ["status_poll", "collect_capacity", "collect_profile", "scale_out", "login", "reset"]
    )
    started = time.monotonic()
    results: dict = {
        "schema": 1,
        "mode": "smoke" if args.smoke else "full",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_start": procs.load_average(),
        },
    }
    for name in report.SECTIONS:
        results[name] = {"skipped": "not run"}

    from .environment import Stack, Unavailable

    stack = Stack(smoke=args.smoke, want_samba=bool(wanted & {"login", "reset"}))
    exit_code = 0
    try:
        print("bench: setting up PostgreSQL, Redis, the BankID simulator and a Samba AD DC ...")
        try:
            stack.start()
        except Unavailable as exc:
            for name in report.SECTIONS:
                results[name] = {"skipped": str(exc)}
            raise SystemExit(finish_order(results, output, started, exit_code=2)) from None
        print(f"bench: ready after {time.monotonic() - started:.0f} s")
        sections = _sections(stack, args, wanted)
        for name, run in sections:
            print(f"bench: {name} ...", flush=True)
            t = time.monotonic()
            try:
                value = run()
            except Exception as exc:
                traceback.print_exc()
                exit_code = 1
                value = {"skipped": f"failed: {type(exc).__name__}: {exc}"[:2000]}
                if name == "status_poll":
                    results["memory"] = {"skipped": value["skipped"]}
            if name == "status_poll" and isinstance(value, tuple):
                results["status_poll"], results["memory"] = value
            else:
                results[name] = value
            print(f"bench: {name} done in {time.monotonic() - t:.0f} s", flush=True)
    finally:
        stack.close()
    return finish_order(results, output, started, exit_code=exit_code)


def _sections(stack, args, wanted):
    from . import collect_capacity, collect_profile, login, reset, scale_out, status_poll

    sections = []
    if "status_poll" in wanted:
        sections.append(
            (
                "status_poll",
                lambda: status_poll.run(
                    stack, smoke=args.smoke, web_workers=args.web_workers, tool=args.load_tool
                ),
            )
        )
    if "collect_capacity" in wanted:
        sections.append(("collect_capacity", lambda: collect_capacity.run(stack, smoke=args.smoke)))
    if "collect_profile" in wanted:
        sections.append(("collect_profile", lambda: collect_profile.run(stack, smoke=args.smoke)))
    if "scale_out" in wanted:
        sections.append(("scale_out", lambda: scale_out.run(stack, smoke=args.smoke)))
    for name, module in (("login", login), ("reset", reset)):
        if name not in wanted:
            continue
        if stack.samba_ready:
            sections.append((name, lambda module=module: module.run(stack, smoke=args.smoke)))
        else:
            reason = stack.samba_error or "no Samba AD DC"
            sections.append((name, lambda reason=reason: {"skipped": reason}))
    return sections


def finish_order(results: dict, output: Path, started: float, *, exit_code: int) -> int:
    results["machine"]["load_average_end"] = procs.load_average()
    results["seconds"] = round(time.monotonic() - started, 1)
    rows = report.summary_rows(results)
    results["table_markdown"] = report.markdown_table(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    tmp.replace(output)
    print()
    print(report.text_table(rows))
    details = report.section_details(results)
    if details:
        print()
        print(details)
    print(
        f"\n{results['machine']['cores']} cores, load average "
        f"{results['machine']['load_average_start']} -> {results['machine']['load_average_end']}, "
        f"{results['seconds']} s; results in {output}"
    )
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
