"""Password complexity exactly as AD defines it ("passwdComplexity")."""

from __future__ import annotations

import re
import unicodedata

# AD's delimiters for splitting the display name into tokens.
NAME_DELIMITERS = re.compile(r"[,.\-_ #\t]+")


def character_categories(password: str) -> int:
    """How many of AD's five character categories the password uses."""
    upper = lower = digit = special = other = False
    for ch in password:
        if ch.isascii() and ch.isupper():
            upper = True
        elif ch.isascii() and ch.islower():
            lower = True
        elif ch.isdigit() and ch.isascii():
            digit = True
        elif not ch.isalnum():
            special = True
        else:
            category = unicodedata.category(ch)
            if category == "Lu":
                upper = True
            elif category == "Ll":
                lower = True
            else:
                other = True
    return sum((upper, lower, digit, special, other))


def contains_account_name(password: str, username: str, display_name: str) -> bool:
    """AD's rule: the sAMAccountName (if 3+ chars) or any display-name token of
    3+ chars must not appear in the password (case-insensitive)."""
    folded = password.casefold()
    if len(username) >= 3 and username.casefold() in folded:
        return True
    for token in NAME_DELIMITERS.split(display_name or ""):
        if len(token) >= 3 and token.casefold() in folded:
            return True
    return False


def meets_ad_complexity(password: str, username: str = "", display_name: str = "") -> bool:
    return character_categories(password) >= 3 and not contains_account_name(
        password, username, display_name
    )
