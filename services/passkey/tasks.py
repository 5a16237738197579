from celery import shared_task


@shared_task(name="passkey.prune_challenges")
def prune_challenges() -> int:
    from .ceremony import prune_challenges as prune

    return prune()
