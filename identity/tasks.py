from __future__ import annotations

from celery import shared_task


@shared_task(name="identity.prune_throttles", ignore_result=True)
def prune_throttles() -> int:
    """Delete the limit rows whose every attempt has left its window (hourly)."""
    from .throttle import prune

    return prune()


@shared_task(name="identity.prune_notice_links", ignore_result=True)
def prune_notice_links() -> int:
    """Delete expired "Det var inte jag" links (nightly)."""
    from .holds import prune_notice_links as prune

    return prune()
