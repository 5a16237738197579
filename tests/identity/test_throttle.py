"""The storage of every security counter: sliding windows in the database,
atomic under parallel bursts (threads with their own connections), on the
database the suite runs on (SQLite locally, PostgreSQL in CI)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from identity import throttle
from identity.models import Throttle
from identity.throttle import Limit


@pytest.mark.django_db
def test_a_window_slides_so_no_edge_lets_twice_the_limit_through():
    limit = Limit("edge", "anna", 3, 60)
    t0 = 1_000_000.0
    # Three at the very end of a minute, three just after it: a fixed window
    # would take all six; a sliding one only the first three until 60 s pass.
    assert [throttle.attempt([limit], now=t0 + 59.9 + i / 100) for i in range(3)] == [None] * 3
    assert all(throttle.attempt([limit], now=t0 + 60.1 + i / 100) == limit for i in range(3))
    assert throttle.retry_after(limit, now=t0 + 60.1) == 60
    assert throttle.attempt([limit], now=t0 + 59.9 + 60.01) is None


@pytest.mark.django_db
def test_limits_count_all_together_or_not_at_all():
    full = Limit("all-or-none-a", "x", 1, 60)
    other = Limit("all-or-none-b", "x", 5, 60)
    assert throttle.attempt([full, other]) is None
    assert throttle.attempt([other, full]) == full
    assert throttle.count(other) == 1  # the refused attempt was not counted anywhere


@pytest.mark.django_db
def test_a_released_attempt_no_longer_counts_and_rows_are_pruned():
    limit = Limit("release", "anna", 2, 60)
    throttle.attempt([limit], token="one", now=100)
    throttle.attempt([limit], token="two", now=101)
    assert throttle.is_full(limit, now=102)
    assert throttle.release(limit, "one")
    assert not throttle.is_full(limit, now=102)
    assert throttle.prune(now=102 + 120) == 1
    assert not Throttle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_gets_exactly_the_limit_through():
    limit = Limit("burst", "anna", 10, 60)
    results: list = []
    start = threading.Barrier(40)

    def one():
        start.wait()
        try:
            results.append(throttle.attempt([limit]))
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 10
    assert throttle.count(limit) == 10


@pytest.mark.django_db
def test_the_subject_is_kept_only_as_a_hash():
    throttle.attempt([Limit("login-account", "name:anna.andersson", 5, 60)])
    row = Throttle.objects.get()
    assert "anna" not in row.key and row.scope == "login-account"


def test_an_ipv6_subscriber_is_one_address_for_the_limits():
    from identity.protection import address_subject

    assert address_subject("2001:db8:1:2:aaaa::1") == address_subject("2001:db8:1:2:bbbb::9")
    assert address_subject("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_subject("2001:db8:1:3::1") != address_subject("2001:db8:1:2::1")
    assert address_subject("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_subject("192.0.2.7") == "192.0.2.7"
