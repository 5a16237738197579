"""Finding a directory user by username, name, e-mail or the end of a phone number.

The directory interface has no partial search: exact identifiers go to
``find_user``; names are matched in Python against ``list_users()``, kept in
the cache for ``HELPDESK_SEARCH_CACHE_SECONDS`` so a helpdesk typing a few
searches in a row asks the directory once. Phone numbers are never stored in
clear, so a phone search matches the last digits of the masked number an
enrollment shows (``+46 70*** **12``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache

from enrollment.models import Enrollment
from identity.directory import DirectoryUser, get_directory

from . import conf

_CACHE_KEY = "helpdesk:directory-index"
_PHONE_LIKE = re.compile(r"^[+\d\s*()-]+$")
MIN_QUERY_LENGTH = 2
MAX_HITS = 50


@dataclass(frozen=True)
class UserHit:
    guid: str
    username: str
    display_name: str
    mail: str
    dn: str = ""
    disabled: bool = False
    privileged: bool = False  # adminCount=1: the built-in no-self-service policy


def _hit(user: DirectoryUser) -> UserHit:
    return UserHit(
        guid=user.guid,
        username=user.username,
        display_name=user.display_name,
        mail=user.mail,
        dn=user.dn,
        disabled=user.disabled,
        privileged=user.privileged,
    )


def directory_index() -> list[UserHit]:
    """Every directory user, briefly cached. Raises DirectoryUnavailable."""
    hits = cache.get(_CACHE_KEY)
    if hits is None:
        hits = [_hit(u) for u in get_directory().list_users()]
        cache.set(_CACHE_KEY, hits, conf.search_cache_seconds())
    return hits


def forget_directory_index() -> None:
    cache.delete(_CACHE_KEY)


def is_phone_query(text: str) -> bool:
    return bool(_PHONE_LIKE.match(text)) and sum(c.isdigit() for c in text) >= 2


def _phone_suffix(text: str) -> str:
    # What follows the last mask star, or the whole number: its trailing digits.
    tail = text.rsplit("*", 1)[-1]
    return re.sub(r"\D", "", tail)[-4:]


def _matches(hit: UserHit, words: list[str]) -> bool:
    haystack = f"{hit.username} {hit.display_name} {hit.mail}".casefold()
    return all(w in haystack for w in words)


def search_users(text: str) -> list[UserHit]:
    """Users matching ``text``, best matches first (at most ``MAX_HITS``).

    Raises DirectoryUnavailable when the directory does not answer.
    """
    text = (text or "").strip()[:256]
    if len(text) < MIN_QUERY_LENGTH:
        return []
    found: dict[str, UserHit] = {}
    index = directory_index()
    if is_phone_query(text):
        suffix = _phone_suffix(text)
        if len(suffix) >= 2:
            by_guid = {h.guid: h for h in index}
            rows = Enrollment.objects.filter(
                display__contains="*", display__endswith=suffix
            ).values_list("user_guid", "username")
            for guid, username in rows:
                found.setdefault(guid, by_guid.get(guid) or UserHit(guid, username, username, ""))
        return list(found.values())[:MAX_HITS]
    exact = get_directory().find_user(text)
    if exact is not None:
        found[exact.guid] = _hit(exact)
    words = text.casefold().split()
    partial = sorted(
        (h for h in index if h.guid not in found and _matches(h, words)),
        key=lambda h: (h.display_name or h.username).casefold(),
    )
    for hit in partial:
        found[hit.guid] = hit
    return list(found.values())[:MAX_HITS]
