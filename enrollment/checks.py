"""System checks for the enrollment app."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import conf


@register(Tags.security)
def check_star_thresholds(app_configs=None, **kwargs) -> list:
    """A reset must always need at least one proof."""
    problems = []
    for name in conf.STAR_COUNTS:
        value = getattr(settings, name, conf.DEFAULTS[name])
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


@register(Tags.security)
def check_reachable_thresholds(app_configs=None, **kwargs) -> list:
    """Settings nobody could meet: a reset threshold above what every offered
    service together gives (no one could reset), a full row nobody can fill,
    and per-group policies in RESET_POLICIES that cannot work. (Policies
    edited in the admin are checked by its form when saved.)"""
    from django.core.checks import Warning

    from .policy import PolicyError, default_policy, policy_problems, settings_rules

    problems: list = []
    try:
        policy = default_policy()
    except (TypeError, ValueError):
        return problems  # E010 reports the numbers
    possible = policy.stars_possible
    reset = int(
        getattr(settings, "RESET_STARS_REQUIRED", conf.DEFAULTS["RESET_STARS_REQUIRED"]) or 0
    )
    full = int(
        getattr(settings, "ENROLLMENT_STARS_FULL", conf.DEFAULTS["ENROLLMENT_STARS_FULL"]) or 0
    )
    if policy.services and policy.stars_reset > possible:
        problems.append(
            Error(
                f"RESET_STARS_REQUIRED={policy.stars_reset} but the offered identity services "
                f"give at most {possible} stars together: nobody could reset a password.",
                hint="Lower RESET_STARS_REQUIRED, raise the services' weights "
                "(IDENTITY_SERVICES_WEIGHTS) or offer more services.",
                id="enrollment.E011",
            )
        )
    if policy.services and full > possible:
        problems.append(
            Warning(
                f"ENROLLMENT_STARS_FULL={full} but the offered identity services give at most "
                f"{possible} stars: nobody can fill the star row, and the enrolment reminders "
                "would go to everyone.",
                hint="Lower ENROLLMENT_STARS_FULL or offer more services.",
                id="enrollment.W012",
            )
        )
    if reset > full >= 1:
        problems.append(
            Warning(
                f"RESET_STARS_REQUIRED={reset} is above ENROLLMENT_STARS_FULL={full}: a reset "
                f"needs only {full} (a full row always resets).",
                id="enrollment.W013",
            )
        )
    try:
        rules = settings_rules()
    except PolicyError as exc:
        return [*problems, Error(str(exc), id="enrollment.E012")]
    for rule in rules:
        for problem in policy_problems(rule):
            problems.append(
                Error(f"RESET_POLICIES {rule.name!r}: {problem}.", id="enrollment.E012")
            )
    return problems
