"""The tables a run prints (and that README.md's "Benchmarks" section shows)."""

from __future__ import annotations

SECTIONS = (
    "status_poll",
    "collect_capacity",
    "collect_profile",
    "scale_out",
    "login",
    "reset",
    "memory",
)


def _met(section: dict) -> str:
    if section.get("skipped"):
        return "skipped"
    met = section.get("met")
    return "n/a" if met is None else ("yes" if met else "NO")


def _fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value}{unit}"


def summary_rows(results: dict) -> list[list[str]]:
    """One row per section: what, ours, what we compare with, ratio, target, met."""
    rows = []
    s = results.get("status_poll", {})
    if s.get("skipped"):
        rows.append(["status poll", "-", "-", "-", ">= 0.70x baseline", _met(s)])
    else:
        writes = s["db_writes"]["query_log"]["writes_per_poll"]
        rows.append(
            [
                "status poll (req/s, p50/p99 ms)",
                f"{s['product']['rps']:,.0f} req/s, "
                f"{s['product']['p50_ms']:.1f}/{s['product']['p99_ms']:.1f}; "
                f"{writes} DB writes/poll",
                f"{s['baseline']['rps']:,.0f} req/s, "
                f"{s['baseline']['p50_ms']:.1f}/{s['baseline']['p99_ms']:.1f} "
                "(same-size JSON view)",
                f"{s['ratio']:.2f}x",
                ">= 0.70x, 0 writes",
                _met(s),
            ]
        )
    c = results.get("collect_capacity", {})
    if c.get("skipped"):
        rows.append(["collect capacity", "-", "-", "-", ">= 2,000 orders", _met(c)])
    else:
        failed = c.get("first_failing_step") or {}
        failing = (
            f"; {failed['orders']:,} failed (p99 lag {failed['lag_p99']:.2f} s)"
            if failed and failed.get("lag_p99") is not None
            else ""
        )
        inproc = c.get("in_process_collect_batch") or c.get("in_process_collect_once", {})
        rows.append(
            [
                "collect capacity (orders/worker, 2 s cadence)",
                f"{c['capacity_orders']:,} orders at p99 lag < 0.5 s{failing}",
                f"worker {_fmt(c.get('worker_cpu_ms_per_collect'), ' ms', 2)} CPU/collect "
                f"= {_fmt(c.get('orders_per_worker_core'))} orders per core "
                f"(collect_batch alone {_fmt(inproc.get('cpu_ms_per_collect'), ' ms', 2)})",
                "-",
                ">= 2,000 orders or <= 1 ms CPU/collect",
                _met(c),
            ]
        )
    so = results.get("scale_out", {})
    if so.get("skipped"):
        rows.append(["scale-out", "-", "-", "-", "<= 1 ms CPU/collect", _met(so)])
    else:
        cells = [
            f"{s['workers']}w/{s['orders']:,}: {s['collects_per_s']:,.0f}/s "
            f"(want {s['expected_per_s']:,.0f}), {s['worker_cpu_ms_per_collect']:.2f} ms"
            + ("" if s["ok"] else f" [{s['limited_by'].split(' (')[0]}]")
            for s in so.get("steps", [])
        ]
        rows.append(
            [
                "scale-out (workers/orders: collects/s, CPU/collect)",
                "; ".join(cells),
                "-",
                "-",
                "<= 1 ms CPU/collect",
                _met(so),
            ]
        )
    lg = results.get("login", {})
    if lg.get("skipped"):
        rows.append(["login", "-", "-", "-", "<= 1.3x bare bind", _met(lg)])
    else:
        rows.append(
            [
                "login (p50 ms)",
                f"{lg['portal_login']['p50_ms']:.1f} ms POST /login/",
                f"{lg['bare_bind_search']['p50_ms']:.1f} ms bare LDAPS bind + search",
                f"{lg['ratio']:.2f}x",
                "<= 1.3x",
                _met(lg),
            ]
        )
    r = results.get("reset", {})
    if r.get("skipped"):
        rows.append(["reset", "-", "-", "-", "<= 1.5x bare modify", _met(r)])
    else:
        comp = r.get("components", {})
        hashed = (
            f" (of which history hash {comp['history_hash_ms']:.0f} ms)"
            if "history_hash_ms" in comp
            else ""
        )
        rows.append(
            [
                "reset: proof to password in AD (p50 ms)",
                f"{r['password_post']['p50_ms']:.1f} ms password POST{hashed}",
                f"{r['bare_modify']['p50_ms']:.1f} ms bare unicodePwd modify",
                f"{r['ratio']:.2f}x",
                "<= 1.5x",
                _met(r),
            ]
        )
    m = results.get("memory", {})
    if m.get("skipped"):
        rows.append(["memory", "-", "-", "-", "report", _met(m)])
    else:
        children = m.get("celery_children_rss_mb") or []
        rows.append(
            [
                "memory under status-poll load (RSS)",
                f"web worker {_fmt(m.get('web_worker_rss_mb'), ' MB')}, "
                f"celery {_fmt(m.get('celery_main_rss_mb'), ' MB')} main + "
                f"{', '.join(f'{v:.0f}' for v in children) or '-'} MB children",
                "-",
                "-",
                "report",
                "n/a",
            ]
        )
    return rows


HEADER = ["what", "portal", "compared with", "ratio", "target", "met"]


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def markdown_table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    return "\n".join(out)


def section_details(results: dict) -> str:
    """Per-section detail lines for the console."""
    lines = []
    s = results.get("status_poll", {})
    if s and not s.get("skipped"):
        w = s["db_writes"]
        lines.append(
            f"status poll: {s['json_bytes']} B JSON, {s['gunicorn_workers']} gunicorn workers, "
            f"{s['connections']} connections ({s['tool']}), rounds {s['round_ratios']}; "
            f"light load p50/p99 {s['product']['light_p50_ms']}/{s['product']['light_p99_ms']} ms "
            f"vs {s['baseline']['light_p50_ms']}/{s['baseline']['light_p99_ms']} ms; "
            f"{w['query_log']['queries_per_poll']} queries/poll; under load "
            f"{w['under_load']['rows_written_by_web']} rows written by "
            f"{w['under_load']['polls']} polls "
            f"({w['under_load']['stalled_chain_restarts']} stalled-chain restarts); what-if QR "
            f"drawn in the browser: {s['what_if_qr_drawn_in_browser']['rps']:,.0f} req/s = "
            f"{s['what_if_qr_drawn_in_browser']['ratio']}x"
        )
    c = results.get("collect_capacity", {})
    for step in (c.get("steps") or []) if not c.get("skipped") else []:
        lines.append(
            f"collect: {step['orders']:5d} orders {step['collects_per_s']:8.1f}/s "
            f"(want {step['expected_per_s']:.0f}) p50/p99/max lag "
            f"{_fmt(step['lag_p50'], ' s', 3)}/{_fmt(step['lag_p99'], ' s', 3)}/"
            f"{_fmt(step['lag_max'], ' s', 3)} worker {step['worker_cpu_ms_per_collect']} ms "
            f"CPU/collect ({step['worker_cpu_cores']} cores), simulator "
            f"{step['simulator_cpu_cores']} cores, machine {step['machine_busy']:.0%} busy"
        )
    r = results.get("reset", {})
    if r and not r.get("skipped"):
        lines.append(
            f"reset: last proof POST p50 {r['last_proof_post']['p50_ms']} ms, password page GET "
            f"p50 {r['password_page_get']['p50_ms']} ms, components {r['components']}, "
            f"ratio without the history hash {r['ratio_without_history_hash']}"
        )
    for name in SECTIONS:
        section = results.get(name, {})
        if section.get("skipped"):
            lines.append(f"{name}: skipped: {section['skipped']}")
    return "\n".join(lines)
