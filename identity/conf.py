"""Identity settings with their defaults (override in portal/settings.py or the environment).

The password rules here are the portal's own, checked on top of the domain's
policy (which the directory reports): AD cannot be told about them.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_FORBIDDEN_WORDS = [
    "lösenord",
    "losenord",
    "password",
    "passw0rd",
    "qwerty",
    "sommar",
    "vinter",
    "hösten",
    "våren",
    "välkommen",
    "welcome",
]


DEFAULTS = {
    "PASSWORD_MAX_LENGTH": 256,
    "PASSWORD_FORBIDDEN_WORDS": DEFAULT_FORBIDDEN_WORDS,
    "PASSWORD_BREACH_BACKEND": "identity.policy.BuiltinBreachList",
    "PASSWORD_BREACH_LIST_FILE": "",
    "PASSWORD_MIN_ZXCVBN_SCORE": 3,
    "RESET_MAX_FAILED_PROOFS": 5,
    "RESET_LOCKOUT_SECONDS": 30 * 60,
    "LOGIN_RATE_LIMITS": {},
    # Where the "Det var inte jag" confirmations are e-mailed (the helpdesk's
    # shared mailbox); empty: nobody is mailed, the audit trail still says it.
    "HELPDESK_EMAIL": "",
    # Days a "Det var inte jag" link in a notice can be used.
    "NOT_ME_LINK_DAYS": 7,
}


def _get(name: str):
    """The setting ``name``, or its default (``DEFAULTS``)."""
    return getattr(settings, name, DEFAULTS[name])


def password_max_length() -> int:
    """The longest password accepted, in UTF-16 code units as AD counts them."""
    return int(_get("PASSWORD_MAX_LENGTH"))


def password_forbidden_words() -> list[str]:
    """Words a new password must not contain (case-insensitive), e.g. the company name."""
    return list(_get("PASSWORD_FORBIDDEN_WORDS"))


def password_breach_backend() -> str:
    """Dotted path of the class that says whether a password is known from breaches."""
    return _get("PASSWORD_BREACH_BACKEND")


def password_breach_list_file() -> str:
    """File of the offline breach list (``identity.policy.OfflineBreachList``):
    one SHA-1 hash (optionally ``HASH:count``, as Have I Been Pwned publishes
    them) or one plain password per line."""
    return _get("PASSWORD_BREACH_LIST_FILE")


def password_min_score() -> int:
    """The lowest zxcvbn score (0-4) a new password may have; 0 turns the check off."""
    return int(_get("PASSWORD_MIN_ZXCVBN_SCORE"))


# --- Protection: the lockout after failed proofs ----------------------------------
def max_failed_proofs() -> int:
    """Failed proofs of one account (wrong codes, a BankID of the wrong
    person, a caller check that failed), on any page or flow, before every
    further proof of that account is refused for a while."""
    return max(1, int(_get("RESET_MAX_FAILED_PROOFS")))


def lockout_seconds() -> int:
    """The sliding window the failed proofs are counted over: the account is
    locked while ``max_failed_proofs`` of them lie inside it."""
    return max(1, int(_get("RESET_LOCKOUT_SECONDS")))


def login_rate_limits() -> dict[str, int]:
    """Failed logins per account and login attempts per address in a sliding window."""
    # Generous per address: a whole office can share one; the per-user limit is tight.
    limits = {"window": 300, "ip": 300, "user": 10}
    return {**limits, **(_get("LOGIN_RATE_LIMITS") or {})}


# --- "Det var inte jag" ------------------------------------------------------------
def helpdesk_email() -> str:
    return str(_get("HELPDESK_EMAIL") or "")


def not_me_link_days() -> int:
    return max(1, int(_get("NOT_ME_LINK_DAYS")))


def portal_url() -> str:
    """The portal's public address for links in notices sent without a
    request (its default, empty, is helpdesk.conf's: the same setting)."""
    return str(getattr(settings, "PORTAL_URL", "") or "")
