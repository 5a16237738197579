"""The forms of a user name: ``anna``, ``DOMAIN\\anna`` and the UPN/e-mail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from identity.directory.names import account_name, netbios_domain


def test_the_netbios_domain_comes_from_the_setting_or_the_base_dn(settings):
    settings.LDAP_NETBIOS_DOMAIN = ""
    settings.LDAP_BASE_DN = "DC=corp,DC=example,DC=se"
    assert netbios_domain() == "corp"
    settings.LDAP_NETBIOS_DOMAIN = "EXAMPLE"
    assert netbios_domain() == "EXAMPLE"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("EXAMPLE\\anna", "anna"),
        ("example\\anna", "anna"),
        ("OTHER\\anna", "OTHER\\anna"),
        ("EXAMPLE\\", "EXAMPLE\\"),
        ("anna", "anna"),
        ("anna@example.se", "anna@example.se"),
    ],
)
def test_only_this_domains_windows_form_becomes_the_plain_name(typed, expected):
    assert account_name(typed, domain="EXAMPLE") == expected


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["anna", "DEMO\\anna", "demo\\anna", "anna@demo.local"])
def test_the_demo_login_accepts_every_form(client, demo_user, typed):
    response = client.post(reverse("login"), {"username": typed, "password": "Gammal-Hemlis-42"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
