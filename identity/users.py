"""The local user row that mirrors a directory user, and the staff roles it gets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .directory import DirectoryUser


def staff_roles(dir_user: DirectoryUser) -> set[str]:
    """The Django groups (``settings.DIRECTORY_GROUP_MAP``) the user's AD groups map to."""
    return {
        role
        for role, ad_groups in settings.DIRECTORY_GROUP_MAP.items()
        if dir_user.in_any_group(ad_groups)
    }


def ensure_role_groups() -> dict[str, Group]:
    """Create the staff groups with exactly the permissions in
    ``settings.STAFF_GROUP_PERMISSIONS``. Idempotent: run on every staff login,
    so a changed setting applies at the next login."""
    groups: dict[str, Group] = {}
    for role in settings.DIRECTORY_GROUP_MAP:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for dotted in settings.STAFF_GROUP_PERMISSIONS.get(role, ()):
            app_label, _, codename = dotted.partition(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
        groups[role] = group
    return groups


@transaction.atomic
def sync_local_user(dir_user: DirectoryUser):
    """Create or update the local user linked to ``dir_user`` by objectGUID.

    A renamed account keeps its row (and so its enrollments). If another row
    holds the name (an old account whose name was reused), that row is renamed
    out of the way: the GUID, not the name, says who is who.

    Staff rights follow the AD groups at every login: members of a mapped AD
    group are staff and in that Django group, and nobody from the directory is a
    superuser (a superuser exists only through ``createsuperuser``).
    """
    User = get_user_model()
    user = User.objects.select_for_update().filter(directory_guid=dir_user.guid).first()
    clash = User.objects.filter(username=dir_user.username).exclude(directory_guid=dir_user.guid)
    for other in clash:
        other.username = f"{other.username}~{(other.directory_guid or str(other.pk))[:8]}"
        other.save(update_fields=["username"])
    created = user is None
    if created:
        user = User(directory_guid=dir_user.guid)
        user.set_unusable_password()
    roles = staff_roles(dir_user)
    wanted = {
        "username": dir_user.username,
        "display_name": dir_user.display_name[:256],
        "first_name": dir_user.given_name[:150],
        "email": dir_user.mail[:254],
        "is_staff": bool(roles),
        "is_superuser": False,
        "is_active": not dir_user.disabled,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    # Write only what changed: a plain login must not take the database's
    # write lock for nothing (SQLite has one for the whole file).
    if created:
        user.save()
    elif changed:
        user.save(update_fields=changed)
    if roles or not created:
        _sync_role_groups(user, roles)
    return user


def _sync_role_groups(user, roles: set[str]) -> None:
    mapped = set(settings.DIRECTORY_GROUP_MAP)
    if roles:
        groups = ensure_role_groups()
        user.groups.add(*(groups[r] for r in roles))
    # Only the mapped groups are ours to take away; others are left alone.
    stale = list(user.groups.filter(name__in=mapped - roles))
    if stale:
        user.groups.remove(*stale)


def end_user_sessions(guid: str) -> bool:
    """End every portal session of the user with this objectGUID.

    A session stays valid only while the user's session auth hash (made from
    the local password field) is unchanged; a new unusable password changes it,
    so every session of that user is logged out on its next request. Returns
    False when the user never had a local row (so had no sessions).
    """
    if not guid:
        return False
    user = get_user_model().objects.filter(directory_guid=guid).first()
    if user is None:
        return False
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return True
