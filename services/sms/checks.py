"""System checks of Mobilkod, run through ``SmsService.check`` by the enrollment
app's check of every configured service. The ids kept their ``enrollment.*``
names: operators silence checks by id."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Info, Warning
from django.utils.module_loading import import_string


def check_sms_backend(app_configs=None, **kwargs) -> list:
    """The console and locmem SMS backends send nothing to a phone: refused
    unless DEBUG or DEMO_MODE is on. A real backend must have its settings."""
    from . import conf as sms_conf

    path = sms_conf.backend_path()
    try:
        backend = import_string(path)
    except ImportError as exc:
        return [
            Error(
                f"SMS_BACKEND {path!r} cannot be imported: {exc}",
                hint="Use e.g. services.sms.gateways.FortySixElksBackend.",
                id="enrollment.E001",
            )
        ]
    problems: list = []
    development = getattr(backend, "development_only", False)
    if development and not (settings.DEBUG or getattr(settings, "DEMO_MODE", False)):
        from .gateways import LocmemBackend

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
