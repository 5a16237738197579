"""Helpdesk fixtures: staff are demo-directory users in AD groups, logged in
through the portal's own login page (/login/)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from enrollment.crypto import encrypt, pii_hash
from enrollment.services import save_enrollment

PASSWORD = "Helpdesk-Hemlis-42"
ANNA_PHONE = "+46701234512"
ANNA_PHONE_MASKED = "+46 70*** **12"


def log_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def helpdesk_person(db, demo_directory):
    return demo_directory.create_user(
        username="helena",
        password=PASSWORD,
        display_name="Helena Helpdesk",
        mail="helena@demo.local",
        groups=["Helpdesk"],
        ou="OU=IT,OU=Staff,DC=demo,DC=local",
    )


@pytest.fixture
def portal_admin_person(db, demo_directory):
    return demo_directory.create_user(
        username="adam",
        password=PASSWORD,
        display_name="Adam Admin",
        mail="adam@demo.local",
        groups=["Portal Admins"],
        ou="OU=IT,OU=Staff,DC=demo,DC=local",
    )


@pytest.fixture
def ordinary_person(db, demo_directory):
    return demo_directory.create_user(
        username="olle",
        password=PASSWORD,
        display_name="Olle Olsson",
        mail="olle@demo.local",
        ou="OU=Lager,OU=Staff,DC=demo,DC=local",
    )


@pytest.fixture
def helpdesk(helpdesk_person) -> Client:
    return log_in("helena")


@pytest.fixture
def portal_admin(portal_admin_person) -> Client:
    return log_in("adam")


@pytest.fixture
def ordinary(ordinary_person) -> Client:
    return log_in("olle")


@pytest.fixture
def anna_sms(demo_user):
    """Anna's Mobilkod enrollment: the number encrypted, shown masked."""
    return save_enrollment(
        request=None,
        user_guid=demo_user.guid,
        username=demo_user.username,
        service="sms",
        display=ANNA_PHONE_MASKED,
        protected_value=encrypt(ANNA_PHONE),
        value_hash=pii_hash(ANNA_PHONE, purpose="phone"),
    )
