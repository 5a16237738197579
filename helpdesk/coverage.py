"""Enrollment coverage: how many directory users have a full star row, per
service and per OU, and the resets and unlocks of the last days.

Few queries whatever the size of the directory: one directory listing, one
query for every enrollment, two aggregated queries of the audit trail.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ldap3.utils.dn import parse_dn

from audit.labels import EVENT_LABELS
from audit.models import AuditEvent
from enrollment import conf
from enrollment.models import Enrollment
from enrollment.policy import Policy, default_policy, policies_for
from enrollment.registry import all_services
from enrollment.stars import count_stars
from identity.directory import DirectoryUser, get_directory

RESET_ACTIONS = ("reset.password_set",)
UNLOCK_ACTIONS = ("reset.unlocked", "helpdesk.unlock")

# The events the other flows write, counted on the page (in this order); their
# labels are the audit trail's own (audit.labels), the same on every page.
COUNTED_ACTIONS = (
    "login",
    "enrollment.created",
    "enrollment.changed",
    "enrollment.removed",
    "sms.code_sent",
    "email.code_sent",
    "reset.started",
    "reset.password_set",
    "reset.unlocked",
    "reset.failed",
    "reset.locked_out",
    "password.changed",
    "helpdesk.unlock",
    "helpdesk.verify_caller",
)
ACTION_LABELS = {action: EVENT_LABELS[action] for action in COUNTED_ACTIONS}


@dataclass
class Split:
    """Users with a full star row, some stars, or none."""

    label: str = ""
    full: int = 0
    partial: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        return self.full + self.partial + self.none

    def add(self, stars: int, stars_full: int) -> None:
        if stars >= stars_full:
            self.full += 1
        elif stars > 0:
            self.partial += 1
        else:
            self.none += 1

    def percent(self, part: int) -> int:
        return round(100 * part / self.total) if self.total else 0

    @property
    def full_percent(self) -> int:
        return self.percent(self.full)


@dataclass(frozen=True)
class ServiceCoverage:
    key: str
    name: str
    weight: int
    users: int
    percent: int


@dataclass(frozen=True)
class DayActivity:
    day: date
    resets: int
    unlocks: int


@dataclass(frozen=True)
class ActionCount:
    action: str
    label: str
    success: int
    other: int

    @property
    def total(self) -> int:
        return self.success + self.other


@dataclass
class CoverageReport:
    stars_full: int
    total: Split
    services: list[ServiceCoverage]
    ous: list[Split]
    days: list[DayActivity] = field(default_factory=list)
    actions: list[ActionCount] = field(default_factory=list)
    #: Each policy in effect (the default first), with its users' split.
    policies: list[PolicyCoverage] = field(default_factory=list)


@dataclass
class PolicyCoverage:
    policy: Policy
    split: Split


def ou_of(dn: str) -> str:
    """The container a DN sits in, read top-down: ``Staff / Ekonomi``."""
    try:
        parts = parse_dn(dn, escape=False)
    except Exception:  # a DN the parser refuses still belongs somewhere
        return dn.split(",", 1)[-1]
    names = [value for attr, value, _sep in parts[1:] if attr.upper() in {"OU", "CN"}]
    return " / ".join(reversed(names)) or "–"


def compute_coverage(
    *,
    users: Iterable[DirectoryUser],
    enrollments: Iterable[tuple[str, str]],
    policies: dict[str, Policy] | None = None,
) -> CoverageReport:
    """Coverage of enabled ``users`` from ``(user_guid, service)`` pairs (pure);
    with ``policies`` (by objectGUID) each user's row is counted under their
    own policy (its stars and full row)."""
    stars_full = conf.stars_full()
    default = default_policy() if policies is not None else None
    by_policy: dict[str, PolicyCoverage] = {}
    by_user: dict[str, set[str]] = defaultdict(set)
    for guid, service in enrollments:
        by_user[guid].add(service)
    total = Split(label=str(_("Alla användare")))
    ous: dict[str, Split] = {}
    per_service: Counter[str] = Counter()
    for user in users:
        if user.disabled:
            continue
        keys = by_user.get(user.guid, set())
        stars, full = count_stars(keys), stars_full
        if policies is not None:
            policy = policies.get(user.guid) or default
            stars, full = policy.count_stars(keys), policy.stars_full
            by_policy.setdefault(
                policy.name, PolicyCoverage(policy=policy, split=Split(label=policy.name))
            ).split.add(stars, full)
        total.add(stars, full)
        ou = ou_of(user.dn)
        ous.setdefault(ou, Split(label=ou)).add(stars, full)
        per_service.update(keys)
    services = [
        ServiceCoverage(
            key=s.key,
            name=str(s.name),
            weight=s.weight,
            users=per_service[s.key],
            percent=total.percent(per_service[s.key]),
        )
        for s in all_services()
    ]
    return CoverageReport(
        stars_full=stars_full,
        total=total,
        services=services,
        ous=sorted(ous.values(), key=lambda s: s.label.casefold()),
        policies=sorted(by_policy.values(), key=lambda p: (not p.policy.is_default, p.policy.name)),
    )


def daily_activity(*, days: int = 30, today: date | None = None) -> list[DayActivity]:
    """Successful resets and unlocks per local day, the last ``days`` days."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    rows = (
        AuditEvent.objects.filter(
            created_at__gte=start,
            result="success",
            action__in=RESET_ACTIONS + UNLOCK_ACTIONS,
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", "action")
        .annotate(n=Count("id"))
        .order_by()
    )
    resets: Counter[date] = Counter()
    unlocks: Counter[date] = Counter()
    for row in rows:
        (resets if row["action"] in RESET_ACTIONS else unlocks)[row["day"]] += row["n"]
    return [
        DayActivity(day=d, resets=resets[d], unlocks=unlocks[d])
        for d in (first + timedelta(days=i) for i in range(days))
    ]


def action_counts(*, days: int = 30) -> list[ActionCount]:
    since = timezone.now() - timedelta(days=days)
    rows = (
        AuditEvent.objects.filter(created_at__gte=since, action__in=list(ACTION_LABELS))
        .values("action", "result")
        .annotate(n=Count("id"))
        .order_by()
    )
    success: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for row in rows:
        (success if row["result"] == "success" else other)[row["action"]] += row["n"]
    return [
        ActionCount(action=a, label=str(label), success=success[a], other=other[a])
        for a, label in ACTION_LABELS.items()
    ]


def coverage_report(*, days: int = 30) -> CoverageReport:
    """The whole page's numbers. Raises DirectoryUnavailable."""
    users = get_directory().list_users()
    enrollments = Enrollment.objects.values_list("user_guid", "service")
    report = compute_coverage(users=users, enrollments=enrollments, policies=policies_for(users))
    report.days = daily_activity(days=days)
    report.actions = action_counts(days=days)
    return report
