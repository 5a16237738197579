"""Password expiry against the Samba AD DC: what Samba returns, and the
expiry reminders with users whose pwdLastSet is set back (thresholds, once
each, none after a change, disabled and never-expiring accounts skipped, a
fine-grained policy).

What Samba 4.17 returns (checked here): ``msDS-UserPasswordExpiryTimeComputed``
is pwdLastSet + maxPwdAge, or the resultant PSO's msDS-MaximumPasswordAge when
a PSO applies (``msDS-ResultantPSO`` names it), and 9223372036854775807
("never") while maxPwdAge is 0 or the account has DONT_EXPIRE_PASSWORD.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from identity.directory import ad_entries
from identity.directory.base import DirectoryUser
from reset.expiry import send_password_expiry_reminders

pytestmark = pytest.mark.django_db

NEVER = b"9223372036854775807"
TICKS_PER_DAY = 86400 * 10_000_000
ATTRIBUTES = ("pwdLastSet", "msDS-UserPasswordExpiryTimeComputed", "msDS-ResultantPSO")


@pytest.fixture
def max_age_30(samba_dc, ad_directory, settings):
    settings.PORTAL_URL = "https://portal.example.se/"
    settings.PASSWORD_EXPIRY_REMINDER_PER_MINUTE = 0
    with samba_dc.policy(max_pwd_age=30):
        yield ad_directory


def _user(samba_dc, *, expires_in_days: float | None = None, max_age: int = 30, **fields):
    name = samba_dc.unique("exp")
    user = samba_dc.create_user(name, "Passw0rd-Expiry-1", mail=f"{name}@test.local", **fields)
    if expires_in_days is not None:
        when = timezone.now() - timedelta(days=max_age - expires_in_days)
        samba_dc.set_password_last_set(user["dn"], when)
    return user


def _due(run, user) -> list[int]:
    return [d.threshold for d in run.due if d.user.guid == user["guid"]]


def test_what_samba_returns_for_the_expiry_attributes(samba_dc, ad_directory):
    user = _user(samba_dc)
    raw = samba_dc.read(user["dn"], *ATTRIBUTES)
    assert raw["msDS-UserPasswordExpiryTimeComputed"] == [NEVER]  # maxPwdAge 0: never
    assert not raw.get("msDS-ResultantPSO")
    with samba_dc.policy(max_pwd_age=30):
        raw = samba_dc.read(user["dn"], *ATTRIBUTES)
        computed = int(raw["msDS-UserPasswordExpiryTimeComputed"][0])
        assert computed == int(raw["pwdLastSet"][0]) + 30 * TICKS_PER_DAY
    (found,) = [u for u in ad_directory.password_expiries() if u.guid == user["guid"]]
    assert found.password_expires_at is None


def test_a_password_set_back_gets_its_threshold_once(samba_dc, max_age_30):
    user = _user(samba_dc, expires_in_days=2.5)
    (found,) = [u for u in max_age_30.password_expiries() if u.guid == user["guid"]]
    left = found.password_expires_at - timezone.now()
    assert timedelta(days=2.4) < left < timedelta(days=2.6)
    first = send_password_expiry_reminders()
    assert _due(first, user) == [3]
    assert [m.subject for m in mail.outbox if m.to == [f"{user['username']}@test.local"]] == [
        "Ditt lösenord går ut om 3 dagar"
    ]
    assert _due(send_password_expiry_reminders(), user) == []  # once


def test_the_thresholds_follow_the_days_left(samba_dc, max_age_30):
    users = {days: _user(samba_dc, expires_in_days=days) for days in (13, 6, 2.5, 0.5, 20)}
    run = send_password_expiry_reminders(dry_run=True)
    assert {days: _due(run, u) for days, u in users.items()} == {
        13: [14],
        6: [7],
        2.5: [3],
        0.5: [1],
        20: [],
    }


def test_no_reminder_after_the_password_changed(samba_dc, max_age_30):
    user = _user(samba_dc, expires_in_days=2.5)
    assert _due(send_password_expiry_reminders(), user) == [3]
    account = max_age_30.get_user(user["guid"])
    max_age_30.set_password(account, "Helt-Nytt-Exp-Lösen-9", enforce_history=False)
    assert _due(send_password_expiry_reminders(dry_run=True), user) == []
    # Changed and then (in this test) made old again: a new password starts afresh.
    samba_dc.set_password_last_set(user["dn"], timezone.now() - timedelta(days=27.5))
    assert _due(send_password_expiry_reminders(dry_run=True), user) == [3]


def test_disabled_and_never_expiring_accounts_are_skipped(samba_dc, max_age_30):
    normal = _user(samba_dc, expires_in_days=2.5)
    disabled = _user(samba_dc, expires_in_days=2.5, disabled=True)
    never = _user(samba_dc, expires_in_days=2.5)
    samba_dc.set_account_control(never["dn"], 0x200 | 0x10000)
    assert samba_dc.read(never["dn"], *ATTRIBUTES)["msDS-UserPasswordExpiryTimeComputed"] == [NEVER]
    listed = {u.guid for u in max_age_30.password_expiries()}
    assert normal["guid"] in listed
    assert disabled["guid"] not in listed and never["guid"] not in listed
    run = send_password_expiry_reminders(dry_run=True)
    assert (_due(run, normal), _due(run, disabled), _due(run, never)) == ([3], [], [])


def test_a_fine_grained_policy_sets_the_expiry(samba_dc, max_age_30):
    user = _user(samba_dc)  # password set now: 30 days under the domain policy
    pso = samba_dc.create_pso(
        samba_dc.unique("pso"), max_pwd_age_days=5, applies_to=user["username"]
    )
    raw = samba_dc.read(user["dn"], *ATTRIBUTES)
    assert raw["msDS-ResultantPSO"] == [pso.encode()]
    computed = int(raw["msDS-UserPasswordExpiryTimeComputed"][0])
    assert computed == int(raw["pwdLastSet"][0]) + 5 * TICKS_PER_DAY
    assert _due(send_password_expiry_reminders(dry_run=True), user) == [7]
    # The fallback (a DC without the computed attribute) reads the PSO's
    # maximum age, but a service account delegated on an OU may not read the
    # Password Settings Container (Samba: nothing found), so the domain's
    # maxPwdAge would apply there: the computed attribute is what counts.
    assert max_age_30._pso_max_age(pso) is None


def _plain_user(**fields) -> DirectoryUser:
    from datetime import UTC, datetime

    return DirectoryUser(
        guid="g", dn="d", username="u", password_last_set=datetime(2026, 1, 1, tzinfo=UTC), **fields
    )


def test_without_the_computed_attribute_the_pso_then_the_domain_decides():
    user = _plain_user()
    pso = {"msDS-ResultantPSO": [b"CN=Short,CN=Password Settings Container"]}
    five, thirty = 5 * 86400, 30 * 86400
    at = ad_entries.password_expiry(
        pso, user, domain_max_age=lambda: thirty, pso_max_age=lambda dn: five
    )
    assert at == user.password_last_set + timedelta(days=5)
    at = ad_entries.password_expiry(
        pso, user, domain_max_age=lambda: thirty, pso_max_age=lambda dn: None
    )
    assert at == user.password_last_set + timedelta(days=30)  # the PSO cannot be read
    assert ad_entries.password_expiry({}, user, domain_max_age=lambda: 0, pso_max_age=None) is None
    never = _plain_user(password_never_expires=True)
    assert (
        ad_entries.password_expiry({}, never, domain_max_age=lambda: thirty, pso_max_age=None)
        is None
    )
