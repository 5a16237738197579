from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_check_as_json(client, demo_directory):
    response = client.get("/healthz/ready")
    body = response.json()
    assert set(body["checks"]) == {"database", "broker", "directory"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["directory"]["ok"] is True
    assert response.status_code == (200 if body["status"] == "ok" else 503)


def test_healthz_fails_with_503_when_the_broker_is_unreachable(client, demo_directory, monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["status"] == "fail"


def test_healthz_is_readiness(client, demo_directory):
    assert set(client.get("/healthz").json()["checks"]) == {"database", "broker", "directory"}


def test_liveness_stays_ok_when_the_directory_and_broker_are_down(
    client, demo_directory, monkeypatch, settings
):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    settings.DIRECTORY_BACKEND = "identity.directory.ad.ActiveDirectoryBackend"
    settings.LDAP_URLS = ["ldaps://127.0.0.1:1"]
    assert client.get("/healthz/ready").status_code == 503
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
