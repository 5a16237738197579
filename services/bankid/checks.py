"""System checks of Mobilt BankID, run through ``BankIDService.deploy_check`` by
the enrollment app's deployment check of every configured service (ids kept:
operators silence checks by id)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning


def check_bankid_binding(app_configs=None, **kwargs) -> list:
    """Without BANKID_DIRECTORY_ATTRIBUTE, a stolen AD password is enough to
    enrol the thief's own BankID: nothing ties the BankID person to the
    account. Warned by ``check --deploy`` outside DEBUG and DEMO_MODE (only when
    BankID is offered: it runs through BankIDService.deploy_check)."""
    if getattr(settings, "BANKID_DIRECTORY_ATTRIBUTE", ""):
        return []
    if settings.DEBUG or getattr(settings, "DEMO_MODE", False):
        return []
    return [
        Warning(
            "BANKID_DIRECTORY_ATTRIBUTE is not set: any BankID can be enrolled for an "
            "account by whoever knows its password.",
            hint="Name the directory attribute that holds each user's personnummer "
            "(e.g. employeeNumber), so that only the account's own person can enrol.",
            id="enrollment.W011",
        )
    ]
