"""The star-meter: how many stars a user has, and what that allows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from . import conf
from .base import IdentityService
from .models import Enrollment
from .registry import all_services
from .selectors import enrolled_keys


@dataclass(frozen=True)
class ServiceStatus:
    service: IdentityService
    enrolled: bool


@dataclass(frozen=True)
class StarMeter:
    collected: int
    full: int
    services: tuple[ServiceStatus, ...]

    @property
    def is_full(self) -> bool:
        return self.collected >= self.full

    @property
    def shown(self) -> int:
        return min(self.collected, self.full)

    @property
    def row(self) -> list[bool]:
        """One bool per star of the row: filled or not."""
        return [i < self.shown for i in range(self.full)]

    @property
    def done(self) -> list[ServiceStatus]:
        return [s for s in self.services if s.enrolled]

    @property
    def todo(self) -> list[ServiceStatus]:
        return [s for s in self.services if not s.enrolled]


def count_stars(service_keys: Iterable[str]) -> int:
    keys = set(service_keys)
    return sum(s.weight for s in all_services() if s.key in keys)


def star_meter(*, user_guid: str, policy=None) -> StarMeter:
    """The user's row: under ``policy`` (``enrollment.policy.Policy``; None:
    the default policy) its services, their stars and its full row."""
    keys = enrolled_keys(user_guid) if user_guid else set()
    if policy is None:
        services = tuple(ServiceStatus(s, s.key in keys) for s in all_services())
        return StarMeter(collected=count_stars(keys), full=conf.stars_full(), services=services)
    services = tuple(ServiceStatus(s, s.key in keys) for s in policy.services)
    return StarMeter(collected=policy.count_stars(keys), full=policy.stars_full, services=services)


def maturing(user_guid: str) -> dict[str, datetime]:
    """The user's services enrolled or changed within the quiet period, with
    the time each becomes usable on its own for a reset."""
    seconds = conf.new_service_quiet_seconds()
    if not (seconds and user_guid):
        return {}
    since = timezone.now() - timedelta(seconds=seconds)
    rows = Enrollment.objects.filter(user_guid=user_guid, updated_at__gt=since)
    return {
        service: changed + timedelta(seconds=seconds)
        for service, changed in rows.values_list("service", "updated_at")
    }


def proof_is_mature(proved_keys: Iterable[str], young: Iterable[str]) -> bool:
    """A reset needs at least one proved service that is not new: new ones
    alone (all of them within the quiet period) are not enough."""
    proved = set(proved_keys)
    return bool(proved - set(young))


def proof_is_sufficient(proved_keys: Iterable[str], enrolled: Iterable[str]) -> bool:
    """Enough stars for a reset, and every required service that the user has
    enrolled has been proved."""
    proved = set(proved_keys)
    enrolled = set(enrolled)
    required_missing = any(
        s.required and s.key in enrolled and s.key not in proved for s in all_services()
    )
    return not required_missing and count_stars(proved) >= conf.stars_to_reset()
