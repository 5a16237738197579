"""The portal's own password history (for directories that skip history on a reset)."""

from __future__ import annotations

import pytest

from reset.history import password_digest, remember_password, was_used
from reset.models import PasswordHistory

pytestmark = pytest.mark.django_db


def used(password: str, depth: int = 5) -> bool:
    row, digest = password_digest(user_guid="g1", password=password)
    return was_used(row=row, digest=digest, depth=depth)


def test_a_remembered_password_counts_as_used():
    remember_password(user_guid="g1", password="Första-Lösen-1", depth=5)
    assert used("Första-Lösen-1")


def test_another_password_does_not():
    remember_password(user_guid="g1", password="Första-Lösen-1", depth=5)
    assert not used("Andra-Lösen-2")


def test_only_the_newest_depth_passwords_are_kept():
    for n in range(4):
        remember_password(user_guid="g1", password=f"Lösen-nummer-{n}", depth=3)
    assert not used("Lösen-nummer-0") and used("Lösen-nummer-1")


def test_the_password_itself_is_never_stored():
    remember_password(user_guid="g1", password="Första-Lösen-1", depth=5)
    row = PasswordHistory.objects.get(user_guid="g1")
    assert "Första" not in str(row.hashes) and len(row.hashes[0]) == 64


def test_two_users_with_the_same_password_get_different_hashes():
    remember_password(user_guid="g1", password="Samma-Lösen-1", depth=5)
    remember_password(user_guid="g2", password="Samma-Lösen-1", depth=5)
    one, two = PasswordHistory.objects.order_by("user_guid")
    assert one.hashes != two.hashes


def test_a_history_length_of_zero_forgets_everything():
    remember_password(user_guid="g1", password="Första-Lösen-1", depth=5)
    remember_password(user_guid="g1", password="Andra-Lösen-2", depth=0)
    assert not PasswordHistory.objects.exists()
