"""System checks of E-postkod, run through ``MailCodeService.check``."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning


def check_mailcode(app_configs=None, **kwargs) -> list:
    """Mail that goes nowhere (console, locmem, dummy) is refused unless DEBUG
    or DEMO_MODE is on; the code's settings must make sense."""
    from . import conf

    problems: list = []
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if "." in settings.EMAIL_BACKEND else ""
    development = backend in {"console", "locmem", "dummy", "filebased"}
    if development and not (settings.DEBUG or getattr(settings, "DEMO_MODE", False)):
        kind = Warning if getattr(settings, "TESTING", False) else Error
        problems.append(
            kind(
                f"EMAIL_BACKEND {settings.EMAIL_BACKEND!r} delivers no mail to any mailbox; "
                "users would never get their e-mail codes.",
                hint="Set EMAIL_BACKEND to SMTP (EMAIL_HOST, ...), or DEMO_MODE=true for a demo.",
                id="mailcode.W001" if kind is Warning else "mailcode.E001",
            )
        )
    try:
        length, validity = conf.code_length(), conf.code_validity_seconds()
        attempts = conf.code_max_attempts()
    except (TypeError, ValueError):
        length = validity = attempts = 0
    if not (6 <= length <= 10) or validity < 60 or attempts < 1:
        problems.append(
            Error(
                "MAILCODE_CODE_LENGTH must be 6 to 10 digits, MAILCODE_CODE_VALIDITY at least "
                "60 seconds and MAILCODE_CODE_MAX_ATTEMPTS at least 1.",
                hint="Shorter codes or more tries make a code easy to guess.",
                id="mailcode.E002",
            )
        )
    return problems
