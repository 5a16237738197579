from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_with_directory_password_shows_home(client, demo_user):
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert "Självserviceportalen" in home.content.decode()
    assert "Anna Andersson" in home.content.decode()
    event = AuditEvent.objects.get(action="login")
    assert event.result == "success" and event.subject_guid == demo_user.guid


def test_wrong_password_says_so_and_is_audited(client, demo_user):
    response = client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    assert AuditEvent.objects.get(action="login").details["reason"] == "wrong_password"


def test_the_demo_directory_locks_an_account_after_the_threshold(client, demo_user, demo_directory):
    threshold = demo_directory.policy.lockout_threshold
    for _ in range(threshold):
        client.post(reverse("login"), {"username": "anna", "password": "fel"})
    response = client.post(reverse("login"), {"username": "anna", "password": "Gammal-Hemlis-42"})
    assert response.status_code == 400
    # Answered like a wrong password (tests/security/test_locked_oracle.py); the audit says why.
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    newest = AuditEvent.objects.filter(action="login").first()
    assert newest.details["reason"] == "account_locked"


def test_a_login_refused_by_its_address_costs_no_directory_search(
    client, demo_user, demo_directory, settings, monkeypatch
):
    settings.LOGIN_RATE_LIMITS = {"ip": 1}
    searches = []
    find_user = type(demo_directory).find_user
    monkeypatch.setattr(
        type(demo_directory),
        "find_user",
        lambda self, name: searches.append(name) or find_user(self, name),
    )
    client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert searches == ["anna"]
    response = client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert response.status_code == 400 and "För många" in response.content.decode()
    assert searches == ["anna"]  # refused before the directory was asked
