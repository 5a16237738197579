"""System checks for the project's own settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register()
def check_celery_not_eager(app_configs=None, **kwargs) -> list:
    """Inline tasks are for the test suite only: in a running portal they would
    send SMS inside the web request and never collect a BankID order."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) and not getattr(
        settings, "TESTING", False
    ):
        return [
            Error(
                "CELERY_TASK_ALWAYS_EAGER is on: tasks would run inside web requests and "
                "BankID orders would never be collected.",
                hint="Unset CELERY_TASK_ALWAYS_EAGER and run a Celery worker and beat "
                "(docs/install.md).",
                id="portal.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_personal_data_keys(app_configs=None, **kwargs) -> list:
    """Phone numbers and personnummer hashes must not hang on SECRET_KEY: rotating
    it after a leak would make every stored number undecryptable and every
    personnummer hash unmatchable."""
    if settings.DEBUG or getattr(settings, "DEMO_MODE", False):
        return []
    return [
        Error(
            f"{name} is not set: {what} would depend on SECRET_KEY, and rotating "
            "SECRET_KEY would lose them.",
            hint=f"Set {name} (or {name}_FILE) to a random value of its own, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "(docs/settings.md).",
            id=f"portal.E00{number}",
        )
        for number, name, what in (
            (2, "FIELD_ENCRYPTION_KEY", "encrypted phone numbers"),
            (3, "PII_HASH_KEY", "personnummer hashes"),
        )
        if not getattr(settings, name, "")
    ]
