"""Scale-out (``python -m bench --only scale_out``): 2 and 4 Celery worker
processes (``celery worker --concurrency 1`` each, as separate machines would
run them) on one PostgreSQL and one Redis share 4,000 and 8,000 pending
BankID orders through the batch collector, with no coordinator.

For each (workers, orders): the orders are created at the simulator and in
the database, due spread over one interval, and the workers started; after a
settling time one window measures, at the simulator, the collects per second
against the cadence's need and their lag, and from /proc the CPU of every
worker process (CPU per collect: the machine-independent figure), of the
simulator, and of the whole machine. Whether an order was collected by two
workers at once is checked from the database: every claim swaps the order's
token, so a double collect would show as more collects than claims.

On a small shared machine something else runs out first: the simulator (one
Python process, one core at most) or the machine's cores. The section says
which (``limited_by``), so the CPU per collect is what carries over to a
bigger machine.
"""

from __future__ import annotations

import time

from . import procs
from .collect_capacity import (
    MAX_P99_LAG,
    TARGET_CPU_MS,
    Beat,
    _create_orders,
    _end_all,
    _mark_polled,
)


def _spread(orders: list, interval: float) -> None:
    from django.db.models import Case, Value, When

    from services.bankid.models import BankIDOrder

    now = time.time()
    total = max(1, len(orders))
    for start in range(0, len(orders), 500):
        part = orders[start : start + 500]
        BankIDOrder.objects.filter(pk__in=[o.pk for o in part]).update(
            next_collect_at=Case(
                *(
                    When(pk=o.pk, then=Value(now + 1.0 + interval * (start + n) / total))
                    for n, o in enumerate(part)
                )
            )
        )


def _one(stack, *, workers: int, count: int, interval: float, window: float) -> dict:
    from services.bankid.collector import start_collector
    from services.bankid.models import BankIDOrder

    stack.sim_command(cmd="clear")
    orders = _create_orders(count, tag=f"scale{workers}x{count}")
    refs = [o.order_ref for o in orders]
    _mark_polled(orders)
    _spread(orders, interval)
    started = [stack.start_worker(concurrency=1) for _ in range(workers)]
    beat = Beat().__enter__()
    try:
        _mark_polled(orders)
        start_collector(slot=0)
        time.sleep(4 * interval)
        _mark_polled(orders)
        claims0 = sum(
            BankIDOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list(
                "collect_count", flat=True
            )
        )
        cpu0 = [procs.tree_cpu_seconds(w.pid) for w in started]
        sim0 = procs.cpu_seconds(stack.sim.pid)
        busy0 = procs.machine_busy()
        t0 = time.monotonic()
        time.sleep(window)
        t1 = time.monotonic()
        cpu1 = [procs.tree_cpu_seconds(w.pid) for w in started]
        sim1 = procs.cpu_seconds(stack.sim.pid)
        busy1 = procs.machine_busy()
        lag = stack.sim_command(cmd="lag", t0=t0, t1=t1, interval=interval, refs=refs)
        claims1 = sum(
            BankIDOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list(
                "collect_count", flat=True
            )
        )
        load = procs.load_average()
    finally:
        beat.__exit__()
        _end_all()
        for worker in started:
            stack.stop(worker)
        stack.purge_queue()
    seconds = t1 - t0
    collects = max(1, lag["collects"])
    worker_cpu = sum(b - a for a, b in zip(cpu0, cpu1, strict=True))
    sim_cores = (sim1 - sim0) / seconds
    machine = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
    per_worker = [round((b - a) / seconds, 2) for a, b in zip(cpu0, cpu1, strict=True)]
    ok = bool(
        lag["lag_p99"] is not None and lag["lag_p99"] < MAX_P99_LAG and lag["never_collected"] == 0
    )
    if ok:
        limited_by = "-"
    elif sim_cores >= 0.85:
        limited_by = "the simulator (one Python process at a full core)"
    elif machine >= 0.9:
        limited_by = "the machine (every core busy)"
    else:
        limited_by = "the workers"
    return {
        "workers": workers,
        "orders": count,
        **{k: (round(v, 3) if isinstance(v, float) else v) for k, v in lag.items()},
        "claims_in_window_approx": claims1 - claims0,
        "worker_cpu_ms_per_collect": round(worker_cpu / collects * 1000, 3),
        "worker_cpu_cores_each": per_worker,
        "simulator_cpu_cores": round(sim_cores, 2),
        "machine_busy": round(machine, 2),
        "load_average_after": load,
        "ok": ok,
        "limited_by": limited_by,
    }


def run(stack, *, smoke: bool) -> dict:
    from services.bankid.orders import collect_interval

    interval = collect_interval()
    plan = [(2, 20)] if smoke else [(2, 4000), (4, 4000), (2, 8000), (4, 8000)]
    window = 3.0 if smoke else 12.0
    stack.purge_queue()
    steps = []
    for workers, count in plan:
        step = _one(stack, workers=workers, count=count, interval=interval, window=window)
        steps.append(step)
        print(
            f"  scale-out: {workers} workers, {count:5d} orders: "
            f"{step['collects_per_s']:7.1f} collects/s (want {step['expected_per_s']:.0f}), "
            f"p99 lag {step['lag_p99'] if step['lag_p99'] is not None else float('nan'):.3f} s, "
            f"{step['worker_cpu_ms_per_collect']:.2f} ms worker CPU/collect, "
            f"simulator {step['simulator_cpu_cores']:.2f} cores, "
            f"machine {step['machine_busy']:.0%} busy; limited by {step['limited_by']}",
            flush=True,
        )
    cpu = [s["worker_cpu_ms_per_collect"] for s in steps]
    worst = max(cpu) if cpu else None
    return {
        "target": f"<= {TARGET_CPU_MS} ms worker CPU per collect; p99 lag < {MAX_P99_LAG} s "
        "where the machine and the simulator keep up",
        "interval_s": interval,
        "worker": "celery -A portal worker --concurrency 1, per worker process",
        "steps": steps,
        "worker_cpu_ms_per_collect_max": worst,
        "met": bool(worst is not None and worst <= TARGET_CPU_MS),
    }
