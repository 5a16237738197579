"""System checks for the enrollment app."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import conf


@register(Tags.security)
def check_star_thresholds(app_configs=None, **kwargs) -> list:
    """A reset must always need at least one proof."""
    problems = []
    for name, default in conf.DEFAULTS.items():
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


@register(Tags.security)
def check_identity_services(app_configs=None, **kwargs) -> list:
    """Each configured identity service's own checks (``IdentityService.check``)."""
    from .registry import all_services

    problems: list = []
    for service in all_services():
        problems += service.check()
    return problems


@register(Tags.security, deploy=True)
def check_identity_services_deploy(app_configs=None, **kwargs) -> list:
    """Each configured identity service's deployment checks
    (``IdentityService.deploy_check``; run by ``check --deploy``)."""
    from .registry import all_services

    problems: list = []
    for service in all_services():
        problems += service.deploy_check()
    return problems
