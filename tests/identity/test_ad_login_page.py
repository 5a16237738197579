"""The login page against the real Samba AD DC."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from ldap3 import MODIFY_REPLACE

from audit.models import AuditEvent

pytestmark = [pytest.mark.samba, pytest.mark.django_db]

PASSWORD = "Logga-In-Losen-5"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_creates_a_local_user_linked_by_object_guid(client, ad_directory, samba_dc):
    name = samba_dc.unique("web")
    created = samba_dc.create_user(name, PASSWORD, display_name="Berit Berg", given_name="Berit")
    response = _login(client, name)
    assert response.status_code == 302
    local = get_user_model().objects.get(directory_guid=created["guid"])
    assert (local.username, local.display_name, local.first_name) == (name, "Berit Berg", "Berit")
    assert client.session["_auth_user_id"] == str(local.pk)


def test_login_after_the_account_is_renamed_keeps_the_same_local_user(
    client, ad_directory, samba_dc
):
    old_name, new_name = samba_dc.unique("old"), samba_dc.unique("new")
    created = samba_dc.create_user(old_name, PASSWORD)
    assert _login(client, old_name).status_code == 302
    before = get_user_model().objects.get(directory_guid=created["guid"])

    admin = samba_dc.ldap_admin()
    admin.modify_dn(created["dn"], f"CN={new_name}")
    assert admin.result["result"] == 0
    admin.modify(
        f"CN={new_name},{samba_dc.staff_ou}",
        {
            "sAMAccountName": [(MODIFY_REPLACE, [new_name])],
            "userPrincipalName": [(MODIFY_REPLACE, [f"{new_name}@test.local"])],
        },
    )
    assert admin.result["result"] == 0

    client.post(reverse("logout"))
    assert _login(client, new_name).status_code == 302
    after = get_user_model().objects.get(directory_guid=created["guid"])
    assert after.pk == before.pk
    assert after.username == new_name


def test_helpdesk_member_is_staff(client, ad_directory, samba_dc):
    name = samba_dc.unique("helper")
    created = samba_dc.create_user(name, PASSWORD, groups=["Helpdesk"])
    assert _login(client, name).status_code == 302
    assert get_user_model().objects.get(directory_guid=created["guid"]).is_staff


def test_user_outside_the_staff_groups_is_not_staff(client, ad_directory, samba_dc):
    name = samba_dc.unique("plain")
    created = samba_dc.create_user(name, PASSWORD)
    assert _login(client, name).status_code == 302
    assert not get_user_model().objects.get(directory_guid=created["guid"]).is_staff


def test_wrong_password_shows_the_message_and_is_audited(client, ad_directory, samba_dc):
    name = samba_dc.unique("wrong")
    samba_dc.create_user(name, PASSWORD)
    response = _login(client, name, "Fel-Losen-99")
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    event = AuditEvent.objects.get(action="login", subject=name)
    assert (event.result, event.details["reason"]) == ("failure", "wrong_password")


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, ad_directory):
    response = _login(client, "finns-inte-alls")
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord." in response.content.decode()


def test_must_change_user_is_offered_to_change_password(client, ad_directory, samba_dc):
    name = samba_dc.unique("mustweb")
    samba_dc.create_user(name, PASSWORD, must_change=True)
    response = _login(client, name)
    assert response.status_code == 400
    assert response.context["error_code"] == "must_change_password"
    assert response.context["offer_change_password"]


def test_unreachable_directory_says_try_again_later(client, settings, ad_directory, samba_dc):
    name = samba_dc.unique("down")
    samba_dc.create_user(name, PASSWORD)
    settings.LDAP_URLS = ["ldaps://127.0.0.1:1"]
    response = _login(client, name)
    assert response.status_code == 400
    assert response.context["error_code"] == "directory_unavailable"


@pytest.mark.parametrize("form", ["{name}", "TEST\\{name}", "test\\{name}", "{upn}"])
def test_login_accepts_the_name_the_windows_form_and_the_upn(client, ad_directory, samba_dc, form):
    name = samba_dc.unique("form")
    created = samba_dc.create_user(name, PASSWORD)
    response = _login(client, form.format(name=name, upn=created["upn"]))
    assert response.status_code == 302
    local = get_user_model().objects.get(directory_guid=created["guid"])
    assert client.session["_auth_user_id"] == str(local.pk)
    assert local.username == name


def test_another_domains_windows_form_is_not_this_user(client, ad_directory, samba_dc):
    name = samba_dc.unique("other")
    samba_dc.create_user(name, PASSWORD)
    response = _login(client, f"OTHER\\{name}")
    assert response.status_code == 400  # the login form again, with its message
    assert "_auth_user_id" not in client.session


def test_the_reset_finds_the_user_by_the_windows_form(ad_directory, samba_dc):
    from identity.directory import get_directory

    name = samba_dc.unique("rst")
    created = samba_dc.create_user(name, PASSWORD)
    assert get_directory().find_user(f"TEST\\{name}").guid == created["guid"]
