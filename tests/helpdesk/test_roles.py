"""Staff rights come from AD groups at every login; nobody from AD is a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from identity.users import ensure_role_groups, sync_local_user

from .conftest import log_in

pytestmark = pytest.mark.django_db


def local(username):
    return get_user_model().objects.get(username=username)


def test_helpdesk_member_is_staff_in_the_helpdesk_group(helpdesk):
    user = local("helena")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == ["Helpdesk"]


def test_portal_admin_is_staff_with_permissions_but_not_superuser(portal_admin):
    user = local("adam")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == ["Portal admins"]
    assert user.has_perm("identity.view_user") and user.has_perm("audit.view_auditevent")


def test_ordinary_user_is_not_staff(ordinary):
    user = local("olle")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()


def test_helpdesk_has_no_rights_on_staff_accounts_or_groups(helpdesk):
    user = local("helena")
    for perm in ("identity.view_user", "identity.change_user", "auth.view_group"):
        assert not user.has_perm(perm)


def test_leaving_the_ad_group_takes_the_rights_away_at_next_login(
    helpdesk, helpdesk_person, demo_directory
):
    from devtools.models import DemoDirectoryUser

    DemoDirectoryUser.objects.filter(username="helena").update(groups=[])
    log_in("helena")
    user = local("helena")
    assert not user.is_staff and not user.groups.exists()


def test_a_superuser_flag_from_earlier_is_cleared_at_login(helpdesk_person):
    User = get_user_model()
    User.objects.create(username="helena", directory_guid=helpdesk_person.guid, is_superuser=True)
    sync_local_user(helpdesk_person)
    assert not local("helena").is_superuser


def test_role_groups_are_made_idempotently_with_exactly_the_configured_permissions(db):
    ensure_role_groups()
    group = Group.objects.get(name="Helpdesk")
    group.permissions.clear()
    ensure_role_groups()
    assert Group.objects.filter(name="Helpdesk").count() == 1
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert perms == {
        "helpdesk.helpdesk_find_user",
        "helpdesk.helpdesk_unlock",
        "helpdesk.helpdesk_verify_caller",
        "helpdesk.view_coverage",
        "enrollment.view_enrollment",
        "enrollment.delete_enrollment",
        "audit.view_auditevent",
    }


def test_other_django_groups_are_left_alone_at_login(helpdesk, helpdesk_person):
    user = local("helena")
    user.groups.add(Group.objects.create(name="Local extra"))
    sync_local_user(helpdesk_person)
    assert {g.name for g in user.groups.all()} == {"Helpdesk", "Local extra"}
