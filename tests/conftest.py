"""Shared fixtures. Fixtures for the Samba AD DC live in tests/samba.py."""

from __future__ import annotations

import pytest

from identity.directory import reset_directory

pytest_plugins = ["tests.worker", "tests.samba"]


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Every test starts with none of this run's cache keys (rate limits,
    throttles, BankID poll marks). Redis is shared, so only keys with this
    run's prefix are deleted; the database cache lives in the test database."""
    from django.core.cache import cache

    if type(cache).__name__ == "RedisCache":
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    elif "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_directory_backend():
    reset_directory()
    yield
    reset_directory()


@pytest.fixture
def demo_directory(settings):
    settings.DIRECTORY_BACKEND = "devtools.demo_directory.DemoDirectoryBackend"
    from identity.directory import get_directory

    return get_directory()


@pytest.fixture
def demo_user(db, demo_directory):
    return demo_directory.create_user(
        username="anna",
        password="Gammal-Hemlis-42",
        upn="anna@demo.local",
        mail="anna.andersson@demo.local",
        display_name="Anna Andersson",
        given_name="Anna",
        mobile="+46701234512",
    )


@pytest.fixture(scope="session")
def simulator(tmp_path_factory):
    """The BankID simulator (RP API over mutual TLS, phone over HTTP), one per session."""
    from devtools.bankid_simulator import BankIDSimulator

    sim = BankIDSimulator(tmp_path_factory.mktemp("bankid-sim-certs")).start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(simulator):
    """The simulator with no orders and its default settings."""
    simulator.reset()
    return simulator


@pytest.fixture
def bankid_settings(settings, sim):
    """Point the portal's BankID client at the simulator."""
    for key, value in sim.client_settings().items():
        setattr(settings, key, value)
    settings.BANKID_ABANDON_SECONDS = 60
    return settings


def age_throttles(seconds: float, *, scope_prefix: str = "") -> None:
    """Move every counted attempt ``seconds`` into the past (time travel for
    the durable limits of identity.throttle, which read the real clock)."""
    from identity.models import Throttle

    for row in Throttle.objects.filter(scope__startswith=scope_prefix):
        row.hits = [[at - seconds, token] for at, token in row.hits]
        row.expires_at -= seconds
        row.save(update_fields=["hits", "expires_at"])
