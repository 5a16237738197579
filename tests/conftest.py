"""Shared fixtures. Fixtures for the Samba AD DC live in tests/samba.py."""

from __future__ import annotations

import pytest

from identity.directory import reset_directory

pytest_plugins = ["tests.worker", "tests.samba"]


@pytest.fixture(autouse=True)
def _fresh_directory_backend():
    reset_directory()
    yield
    reset_directory()


@pytest.fixture
def demo_directory(settings):
    settings.DIRECTORY_BACKEND = "identity.directory.demo.DemoDirectoryBackend"
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
