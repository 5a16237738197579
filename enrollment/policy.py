"""Per-group policies: which services a user is offered, their stars, the
stars for a full row and for a reset, and whether self-service reset is
allowed at all, for members of an AD group (nested) or the users of an OU.

Policies come from ``settings.RESET_POLICIES`` and from the admin
(``enrollment.ResetPolicy``); the first that matches, by priority, is in
effect, else the default policy (the settings: IDENTITY_SERVICES,
ENROLLMENT_STARS_FULL, RESET_STARS_REQUIRED). Membership is read from the
directory every time a policy is resolved (``DirectoryBackend.nested_group_dns``,
AD's LDAP_MATCHING_RULE_IN_CHAIN): no cache outlives the call that decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from identity.directory import DirectoryUser, get_directory

from . import conf
from .base import IdentityService
from .registry import all_services

#: The user a policy is resolved for when there is none (an unknown name in
#: the reset flow): the directory is asked the same question, so an unknown
#: and a known account take the same path.
NOBODY_DN = "CN=nobody-portal-policy-placeholder,CN=Users,DC=invalid"
NOBODY_GUID = "00000000-0000-0000-0000-000000000000"


class PolicyError(ValueError):
    """A policy that cannot be used as written (settings or admin input)."""


def normalize_dn(dn: str) -> str:
    """A DN compared case- and space-insensitively (``CN=A, OU=B`` == ``cn=a,ou=b``)."""
    parts = [p.strip() for p in (dn or "").split(",")]
    out = []
    for part in parts:
        attr, sep, value = part.partition("=")
        out.append(f"{attr.strip()}{sep}{value.strip()}".casefold() if sep else part.casefold())
    return ",".join(p for p in out if p)


def parse_services(spec) -> dict[str, tuple[int, bool]] | None:
    """``"bankid:2:required,sms:1"`` (or a dict ``{"bankid": (2, True)}`` /
    ``{"sms": 1}``) -> ``{key: (weight, required)}``; empty: None (the
    default's services). Raises PolicyError."""
    if spec is None or spec == "" or spec == {}:
        return None
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            weight, required = (value, False) if isinstance(value, int) else value
            out[str(key).strip()] = (int(weight), bool(required))
    else:
        out = {}
        for item in str(spec).split(","):
            item = item.strip()
            if not item:
                continue
            key, *rest = (p.strip() for p in item.split(":"))
            try:
                weight = int(rest[0]) if rest and rest[0] else None
            except ValueError:
                raise PolicyError(f"{item!r}: the stars must be a whole number") from None
            if weight is None:
                raise PolicyError(f"{item!r}: give the stars, e.g. {key}:1")
            out[key] = (weight, "required" in rest[1:])
    for key, (weight, _required) in out.items():
        if weight < 0:
            raise PolicyError(f"{key}: the stars cannot be negative")
    return out or None


@dataclass(frozen=True)
class PolicyRule:
    """One policy as written (settings or admin): whom it is for and what it says.
    ``None`` in a field means "as the default policy"."""

    name: str
    priority: int = 100
    group_dn: str = ""
    ou_dn: str = ""
    services: dict[str, tuple[int, bool]] | None = None
    stars_full: int | None = None
    stars_reset: int | None = None
    reset_allowed: bool = True
    source: str = "settings"  # or "admin"

    def matches(self, *, user_dn: str, group_dns: frozenset[str]) -> bool:
        if not (self.group_dn or self.ou_dn):
            return False
        if self.group_dn and normalize_dn(self.group_dn) not in group_dns:
            return False
        if self.ou_dn:
            ou = normalize_dn(self.ou_dn)
            if not normalize_dn(user_dn).endswith("," + ou):
                return False
        return True


@dataclass(frozen=True)
class Policy:
    """The policy in effect for one user."""

    name: str  # "" for the default policy
    services: tuple[IdentityService, ...]
    stars_full: int
    stars_reset: int
    reset_allowed: bool = True
    source: str = "default"  # "settings", "admin"
    group_dn: str = ""
    ou_dn: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def is_default(self) -> bool:
        return self.source == "default"

    def offers(self, key: str) -> bool:
        return any(s.key == key for s in self.services)

    def service(self, key: str) -> IdentityService | None:
        return next((s for s in self.services if s.key == key), None)

    def count_stars(self, keys: Iterable[str]) -> int:
        keys = set(keys)
        return sum(s.weight for s in self.services if s.key in keys)

    @property
    def stars_possible(self) -> int:
        return sum(s.weight for s in self.services)

    def is_sufficient(self, proved: Iterable[str], enrolled: Iterable[str]) -> bool:
        """Enough stars for a reset from offered services, every required
        service the user enrolled proved, and reset allowed at all."""
        if not self.reset_allowed:
            return False
        proved, enrolled = set(proved), set(enrolled)
        missing = any(
            s.required and s.key in enrolled and s.key not in proved for s in self.services
        )
        return not missing and self.count_stars(proved) >= self.stars_reset


def default_policy() -> Policy:
    return Policy(
        name="",
        services=all_services(),
        stars_full=conf.stars_full(),
        stars_reset=conf.stars_to_reset(),
    )


def _thresholds(full: int | None, reset: int | None) -> tuple[int, int]:
    full = max(1, int(full if full is not None else conf.stars_full()))
    reset = int(reset if reset is not None else conf.stars_to_reset())
    return full, max(1, min(reset, full))


def build_policy(rule: PolicyRule) -> Policy:
    """What ``rule`` means with the configured services (a key it names that
    is not configured is left out: a policy cannot turn on a service)."""
    if rule.services is None:
        services = all_services()
    else:
        services = tuple(
            type(s)(weight=rule.services[s.key][0], required=rule.services[s.key][1])
            for s in all_services()
            if s.key in rule.services
        )
    full, reset = _thresholds(rule.stars_full, rule.stars_reset)
    return Policy(
        name=rule.name,
        services=services,
        stars_full=full,
        stars_reset=reset,
        reset_allowed=rule.reset_allowed,
        source=rule.source,
        group_dn=rule.group_dn,
        ou_dn=rule.ou_dn,
    )


def settings_rules() -> list[PolicyRule]:
    """``settings.RESET_POLICIES``: a list of dicts with ``name``, ``priority``,
    ``group`` (a DN), ``ou`` (a DN), ``services`` (``"bankid:2:required,sms:1"``),
    ``stars_full``, ``stars_reset`` and ``reset_allowed``. Raises PolicyError."""
    rules = []
    for i, raw in enumerate(getattr(settings, "RESET_POLICIES", None) or []):
        try:
            rules.append(
                PolicyRule(
                    name=str(raw.get("name") or f"RESET_POLICIES[{i}]"),
                    priority=int(raw.get("priority", 100)),
                    group_dn=str(raw.get("group") or ""),
                    ou_dn=str(raw.get("ou") or ""),
                    services=parse_services(raw.get("services")),
                    stars_full=None if raw.get("stars_full") is None else int(raw["stars_full"]),
                    stars_reset=None if raw.get("stars_reset") is None else int(raw["stars_reset"]),
                    reset_allowed=bool(raw.get("reset_allowed", True)),
                    source="settings",
                )
            )
        except (AttributeError, TypeError, ValueError) as exc:
            raise PolicyError(f"RESET_POLICIES[{i}]: {exc}") from None
    return rules


def policy_rules() -> list[PolicyRule]:
    """Every policy, first by priority (settings before admin at the same
    priority). Read from the database each call: a change in the admin
    applies to the next request."""
    from .models import ResetPolicy

    rules = settings_rules()
    rules += [row.as_rule() for row in ResetPolicy.objects.filter(enabled=True)]
    order = {"settings": 0, "admin": 1}
    return sorted(rules, key=lambda r: (r.priority, order.get(r.source, 2), r.name))


def _needs_groups(rules: list[PolicyRule]) -> bool:
    return any(r.group_dn for r in rules)


def resolve_policy(
    *, user_dn: str, group_dns: frozenset[str], rules: list[PolicyRule] | None = None
) -> Policy:
    """The first rule that matches (pure, given the membership)."""
    for rule in policy_rules() if rules is None else rules:
        if rule.matches(user_dn=user_dn, group_dns=group_dns):
            return build_policy(rule)
    return default_policy()


def privileged_policy() -> Policy:
    """The built-in policy of an account with adminCount=1 while
    RESET_PRIVILEGED_ACCOUNTS is off: no self-service reset or unlock, before
    any other policy (the helpdesk still helps such a person)."""
    return Policy(
        name=str(_("Privilegierat konto (adminCount)")),
        services=all_services(),
        stars_full=conf.stars_full(),
        stars_reset=conf.stars_to_reset(),
        reset_allowed=False,
        source="builtin",
    )


def _privileged(user: DirectoryUser | None) -> bool:
    # Any object with the user's fields will do (the helpdesk's search hits).
    return bool(getattr(user, "privileged", False) and not conf.reset_privileged_accounts())


def policy_for(*, user: DirectoryUser | None) -> Policy:
    """The policy in effect for ``user`` (None: the default, after asking the
    directory the same question a real user costs). Reads the membership
    now. Raises DirectoryError (never guesses when the directory is down)."""
    rules = policy_rules()
    groups: frozenset[str] = frozenset()
    if _needs_groups(rules):
        probe = user if user is not None else DirectoryUser(guid="", dn=NOBODY_DN, username="")
        groups = frozenset(normalize_dn(g) for g in get_directory().nested_group_dns(probe))
    if user is None:
        return default_policy()
    if _privileged(user):
        return privileged_policy()
    return resolve_policy(user_dn=user.dn, group_dns=groups, rules=rules)


def policy_for_guid(user_guid: str) -> tuple[Policy, DirectoryUser | None]:
    """The policy of the directory user with this objectGUID (read now) and
    the user (None: unknown, default policy). Raises DirectoryError."""
    # An empty guid (an unknown name's flow) costs the same search.
    user = get_directory().get_user(user_guid or NOBODY_GUID)
    if not user_guid:
        user = None
    return policy_for(user=user), user


def policies_for(users: Iterable[DirectoryUser]) -> dict[str, Policy]:
    """Each user's policy by objectGUID, with one directory search per group
    policy (``nested_member_guids``), for lists (reminders, coverage)."""
    users = list(users)
    rules = policy_rules()
    directory = get_directory()
    members: dict[str, frozenset[str]] = {}
    for rule in rules:
        key = normalize_dn(rule.group_dn)
        if rule.group_dn and key not in members:
            members[key] = frozenset(directory.nested_member_guids(rule.group_dn))
    built: dict[int, Policy] = {}
    default = default_policy()
    out: dict[str, Policy] = {}
    privileged = privileged_policy()
    for user in users:
        if _privileged(user):
            out[user.guid] = privileged
            continue
        groups = frozenset(g for g, guids in members.items() if user.guid in guids)
        policy = default
        for i, rule in enumerate(rules):
            if rule.matches(user_dn=user.dn, group_dns=groups):
                if i not in built:
                    built[i] = build_policy(rule)
                policy = built[i]
                break
        out[user.guid] = policy
    return out


def policy_problems(rule: PolicyRule) -> list[str]:
    """What makes ``rule`` impossible or useless (for the system check and
    the admin form): no one to apply to, a service that is not configured,
    a reset threshold no offered services can reach."""
    problems = []
    if not (rule.group_dn or rule.ou_dn):
        problems.append("it names neither a group nor an OU")
    configured = {s.key for s in all_services()}
    unknown = sorted(set(rule.services or {}) - configured)
    if unknown:
        problems.append(f"services that are not configured: {', '.join(unknown)}")
    if rule.reset_allowed:
        policy = build_policy(rule)
        if policy.stars_possible < policy.stars_reset:
            problems.append(
                f"a reset needs {policy.stars_reset} stars but its services give at most "
                f"{policy.stars_possible}: nobody could reset"
            )
    for name, value in (("stars_full", rule.stars_full), ("stars_reset", rule.stars_reset)):
        if value is not None and value < 1:
            problems.append(f"{name} must be at least 1")
    return problems
