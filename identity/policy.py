"""The portal's password policy: the domain's rules plus local ones.

The domain's rules (length, AD complexity) come from ``PasswordPolicy``; on top
of them the portal refuses passwords that contain the account name or parts of
the display name (Windows does, Samba does not), words from a forbidden list,
passwords known from breaches and passwords zxcvbn finds too easy to guess.

Lengths are counted in UTF-16 code units, as AD counts them (and as a browser's
``String.length`` does): a character outside the Basic Multilingual Plane, such
as an emoji, counts as two. The password is never stripped: leading or
trailing spaces are kept and only warned about.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

from . import conf
from .directory import DirectoryUser, PasswordPolicy
from .directory.complexity import NAME_DELIMITERS, character_categories, contains_account_name

#: AD's complexity rule: three of its five character categories.
COMPLEXITY_CATEGORIES = 3
#: zxcvbn's work grows with the length; the first characters tell enough.
ZXCVBN_MAX_CHARS = 72
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Failure:
    """One rule the password breaks. A non-blocking one is only a warning."""

    code: str
    message: str
    blocking: bool = True


def utf16_length(value: str) -> int:
    """The length AD sees: UTF-16 code units."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def name_parts(user: DirectoryUser | None) -> list[str]:
    """The parts of the account's names a password must not contain (3+ characters)."""
    if user is None:
        return []
    parts = [user.username] if len(user.username) >= 3 else []
    parts += [t for t in NAME_DELIMITERS.split(user.display_name or "") if len(t) >= 3]
    seen: dict[str, None] = {}
    for part in parts:
        seen.setdefault(part.casefold(), None)
    return list(seen)


# --- breached passwords ---------------------------------------------------------
class BreachBackend:
    """Says whether a password is known from breaches (and so tried by attackers)."""

    def is_breached(self, password: str) -> bool:
        """True when the password appears in the backend's list."""
        raise NotImplementedError


class NoBreachCheck(BreachBackend):
    def is_breached(self, password: str) -> bool:
        return False


class BuiltinBreachList(BreachBackend):
    """The 30,000 most common leaked passwords that ship with zxcvbn, compared
    case-insensitively ("Password1" is as guessable as "password1")."""

    def is_breached(self, password: str) -> bool:
        return password.casefold() in _builtin_passwords()


@lru_cache(maxsize=1)
def _builtin_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.casefold() for p in FREQUENCY_LISTS["passwords"])


_SHA1_LINE = re.compile(r"^([0-9A-Fa-f]{40})(?::\d+)?$")


class OfflineBreachList(BreachBackend):
    """A file of breached passwords, read once (and again when it changes):
    SHA-1 hashes, optionally ``HASH:count`` (the Have I Been Pwned format), are
    compared exactly; plain-text lines case-insensitively."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or conf.password_breach_list_file()
        if not self.path:
            raise ValueError("OfflineBreachList needs PASSWORD_BREACH_LIST_FILE")

    def is_breached(self, password: str) -> bool:
        hashes, plain = _read_list(self.path, os.stat(self.path).st_mtime_ns)
        digest = hashlib.sha1(password.encode("utf-8", "surrogatepass")).hexdigest().upper()  # noqa: S324 - the list's format
        return digest in hashes or password.casefold() in plain


@lru_cache(maxsize=4)
def _read_list(path: str, _mtime: int) -> tuple[frozenset[str], frozenset[str]]:
    hashes: set[str] = set()
    plain: set[str] = set()
    with open(path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if not line:
                continue
            match = _SHA1_LINE.match(line.strip())
            if match:
                hashes.add(match.group(1).upper())
            else:
                plain.add(line.casefold())
    return frozenset(hashes), frozenset(plain)


@lru_cache(maxsize=1)
def get_breach_backend() -> BreachBackend:
    path = conf.password_breach_backend()
    return import_string(path)() if path else NoBreachCheck()


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("PASSWORD_BREACH"):
        get_breach_backend.cache_clear()


setting_changed.connect(_on_setting_changed)


# --- the checks -------------------------------------------------------------------
def _rule_text(code: str, policy: PasswordPolicy) -> str:
    texts = {
        "min_length": _("Minst %(count)s tecken") % {"count": policy.min_length},
        "max_length": _("Högst %(count)s tecken") % {"count": conf.password_max_length()},
        "complexity": _(
            "Minst tre av de här fyra: stora bokstäver, små bokstäver, siffror, "
            "specialtecken (till exempel ! - # eller mellanslag)"
        ),
        "name": _("Får inte innehålla ditt användarnamn eller delar av ditt namn"),
        "forbidden": _("Får inte innehålla vanliga ord som lösenord eller årstider"),
        "match": _("De två lösenorden är lika"),
        "breached": _("Får inte finnas bland kända läckta lösenord (kontrolleras när du skickar)"),
        "strength": _("Får inte vara lätt att gissa (kontrolleras när du skickar)"),
    }
    return texts[code]


def check_password_policy(
    password: str, *, user: DirectoryUser | None, policy: PasswordPolicy
) -> list[Failure]:
    """Every rule ``password`` breaks, blocking failures first; ``[]`` when it may
    be written. ``user`` is the account it is for (its names must not appear)."""
    if not password:
        return [Failure("required", _("Fyll i ett nytt lösenord."))]
    max_length = conf.password_max_length()
    if utf16_length(password) > max_length:
        # Nothing else is checked: a huge input must not cost zxcvbn time.
        return [
            Failure(
                "too_long",
                _("Lösenordet är för långt. Det får vara högst %(count)s tecken.")
                % {"count": max_length},
            )
        ]
    failures: list[Failure] = []
    if _CONTROL.search(password):
        failures.append(
            Failure("invalid_characters", _("Lösenordet innehåller tecken som inte är tillåtna."))
        )
    if utf16_length(password) < policy.min_length:
        failures.append(
            Failure(
                "too_short",
                _("Lösenordet är för kort. Det måste vara minst %(count)s tecken.")
                % {"count": policy.min_length},
            )
        )
    if policy.complexity and character_categories(password) < COMPLEXITY_CATEGORIES:
        failures.append(
            Failure(
                "complexity",
                _(
                    "Lösenordet måste innehålla minst tre av de här fyra: stora bokstäver, "
                    "små bokstäver, siffror och specialtecken."
                ),
            )
        )
    if user is not None and contains_account_name(password, user.username, user.display_name):
        failures.append(
            Failure(
                "contains_name",
                _("Lösenordet får inte innehålla ditt användarnamn eller delar av ditt namn."),
            )
        )
    folded = password.casefold()
    words = [w for w in conf.password_forbidden_words() if w and w.casefold() in folded]
    if words:
        failures.append(
            Failure(
                "forbidden_word",
                _("Lösenordet får inte innehålla ordet ”%(word)s”.") % {"word": words[0]},
            )
        )
    if not failures and get_breach_backend().is_breached(password):
        failures.append(
            Failure(
                "breached",
                _(
                    "Lösenordet finns i listor över lösenord som har läckt och som angripare "
                    "provar först. Välj ett annat."
                ),
            )
        )
    min_score = conf.password_min_score()
    if not failures and min_score:
        inputs = [*name_parts(user), *conf.password_forbidden_words()]
        score = zxcvbn(password[:ZXCVBN_MAX_CHARS], user_inputs=inputs, max_length=ZXCVBN_MAX_CHARS)
        if score["score"] < min_score:
            failures.append(
                Failure(
                    "too_weak",
                    _(
                        "Lösenordet är för lätt att gissa. Gör det längre, till exempel "
                        "med några ord som inte hör ihop."
                    ),
                )
            )
    return failures + password_warnings(password)


def password_warnings(password: str) -> list[Failure]:
    """What is allowed but probably not meant (non-blocking): spaces at the
    start or end, which are kept as part of the password."""
    if password and password != password.strip():
        return [
            Failure(
                "surrounding_space",
                _(
                    "Lösenordet börjar eller slutar med mellanslag. Mellanslaget är en del "
                    "av lösenordet och måste skrivas varje gång."
                ),
                blocking=False,
            )
        ]
    return []


def blocking_failures(failures: list[Failure]) -> list[Failure]:
    return [f for f in failures if f.blocking]


def describe_password_policy(*, user: DirectoryUser | None, policy: PasswordPolicy) -> dict:
    """The rules as JSON-serialisable data for the browser's live checklist.

    ``rules`` lists each rule's code, text and whether the browser can check it
    (``live``); the server checks all of them again."""
    # The maximum length is checked but not listed: nobody types 256 characters
    # by mistake, and a rule that is always met is noise in the checklist.
    rules = ["min_length"]
    if policy.complexity:
        rules.append("complexity")
    if user is not None:
        rules.append("name")
    forbidden = [w.casefold() for w in conf.password_forbidden_words() if w]
    if forbidden:
        rules.append("forbidden")
    rules.append("match")
    server_only = []
    if conf.password_breach_backend():
        server_only.append("breached")
    if conf.password_min_score():
        server_only.append("strength")
    return {
        "min_length": policy.min_length,
        "max_length": conf.password_max_length(),
        "complexity": policy.complexity,
        "categories_required": COMPLEXITY_CATEGORIES,
        "name_parts": name_parts(user),
        "forbidden_words": forbidden,
        "rules": [{"code": c, "text": _rule_text(c, policy), "live": True} for c in rules]
        + [{"code": c, "text": _rule_text(c, policy), "live": False} for c in server_only],
    }
