"""System checks for the enrollment app."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.security)
def check_sms_backend(app_configs=None, **kwargs) -> list:
    """The console and locmem SMS backends send nothing to a phone: refused
    unless DEBUG or DEMO_MODE is on. A real backend must have its settings."""
    from .sms import conf as sms_conf

    path = sms_conf.backend_path()
    try:
        backend = import_string(path)
    except ImportError as exc:
        return [
            Error(
                f"SMS_BACKEND {path!r} cannot be imported: {exc}",
                hint="Use e.g. enrollment.sms.gateways.FortySixElksBackend.",
                id="enrollment.E001",
            )
        ]
    problems: list = []
    development = getattr(backend, "development_only", False)
    if development and not (settings.DEBUG or getattr(settings, "DEMO_MODE", False)):
        from .sms.gateways import LocmemBackend

        # The test settings pick LocmemBackend on purpose: warn, but let commands run.
        kind = Warning if issubclass(backend, LocmemBackend) else Error
        problems.append(
            kind(
                f"SMS_BACKEND {path!r} delivers no SMS to any phone; users would never "
                "get their codes.",
                hint="Set SMS_BACKEND to a real gateway (46elks, Twilio, HTTP), "
                "or DEMO_MODE=true for a demo.",
                id="enrollment.W002" if kind is Warning else "enrollment.E002",
            )
        )
    missing = getattr(backend, "missing_settings", lambda: [])()
    if missing and not development:
        # Info, not an error: the credentials may come later (secrets mounted at
        # start-up); until then every send fails and says "not_configured".
        problems.append(
            Info(
                f"SMS_BACKEND {path!r} has no value for: {', '.join(missing)}; "
                "no SMS can be sent until they are set.",
                id="enrollment.I003",
            )
        )
    return problems


@register(Tags.security)
def check_star_thresholds(app_configs=None, **kwargs) -> list:
    """A reset must always need at least one proof."""
    problems = []
    for name, default in (("RESET_STARS_REQUIRED", 1), ("ENROLLMENT_STARS_FULL", 2)):
        value = getattr(settings, name, default)
        try:
            ok = int(value) >= 1
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(
                Error(
                    f"{name}={value!r}: it must be a whole number of at least 1.",
                    hint="A reset without any proof of identity would let anyone reset any "
                    "account; the portal counts it as 1.",
                    id="enrollment.E010",
                )
            )
    return problems


@register(Tags.security, deploy=True)
def check_bankid_binding(app_configs=None, **kwargs) -> list:
    """Without BANKID_DIRECTORY_ATTRIBUTE, a stolen AD password is enough to
    enrol the thief's own BankID: nothing ties the BankID person to the
    account. Warned outside DEBUG and DEMO_MODE when BankID is offered."""
    from .registry import get_service

    if getattr(settings, "BANKID_DIRECTORY_ATTRIBUTE", "") or get_service("bankid") is None:
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
