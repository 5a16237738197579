"""Thin Celery tasks: load by id, call the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="bankid.collect_due", acks_late=True, ignore_result=True)
def collect_due(slot: int = 0, run: str = "") -> str:
    """One run of the batch collector (``collector.run_collector``); beat
    sends one without arguments every few seconds: it starts slot 0's chain if
    none holds it (a chain that died with its worker)."""
    from .collector import next_due, run_collector, start_collector

    if not run:
        if next_due() is None:
            return "nothing pending"
        start_collector(slot=0)
        return "ensured"
    return run_collector(slot=slot, run=run)


@shared_task(name="bankid.collect", acks_late=True, ignore_result=True)
def collect_order(order_id: str, token: str) -> None:
    """One collect of one order (messages of the per-order chain queued
    before an upgrade; the batch collector takes over after it)."""
    from .collect import collect_once

    collect_once(order_id=order_id, token=token)


@shared_task(name="bankid.expire_stale", acks_late=True, ignore_result=True)
def expire_stale_orders() -> int:
    from .collect import expire_stale_orders as expire

    return expire()
