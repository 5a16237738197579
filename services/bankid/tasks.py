"""Thin Celery tasks: load by id, call the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="bankid.collect", acks_late=True, ignore_result=True)
def collect_order(order_id: str, token: str) -> None:
    from .collect import collect_once

    collect_once(order_id=order_id, token=token)


@shared_task(name="bankid.expire_stale", acks_late=True, ignore_result=True)
def expire_stale_orders() -> int:
    from .collect import expire_stale_orders as expire

    return expire()
