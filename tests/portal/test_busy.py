"""A write that loses the race for SQLite's lock even after the busy timeout
is an expected case under a burst: the user is told to try again (503), and
the log has one line, no traceback."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_a_lost_database_lock_gives_a_retry_page_and_no_traceback(monkeypatch, caplog):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("reset.views.start_reset", locked)
    client = Client(raise_request_exception=False)
    client.get("/reset/")
    with caplog.at_level(logging.INFO):
        response = client.post("/reset/", {"username": "anna"})
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "Försök igen om en stund" in response.content.decode()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert any("database busy" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_other_errors_still_give_the_500_page(monkeypatch):
    def broken(**kwargs):
        raise OperationalError("no such table: x")

    monkeypatch.setattr("reset.views.start_reset", broken)
    client = Client(raise_request_exception=False)
    assert client.post("/reset/", {"username": "anna"}).status_code == 500
