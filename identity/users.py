"""The local user row that mirrors a directory user."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .directory import DirectoryUser


@transaction.atomic
def sync_local_user(dir_user: DirectoryUser):
    """Create or update the local user linked to ``dir_user`` by objectGUID.

    A renamed account keeps its row (and so its enrollments). If another row
    holds the name (an old account whose name was reused), that row is renamed
    out of the way: the GUID, not the name, says who is who.
    """
    User = get_user_model()
    user = User.objects.select_for_update().filter(directory_guid=dir_user.guid).first()
    clash = User.objects.filter(username=dir_user.username).exclude(directory_guid=dir_user.guid)
    for other in clash:
        other.username = f"{other.username}~{(other.directory_guid or str(other.pk))[:8]}"
        other.save(update_fields=["username"])
    if user is None:
        user = User(directory_guid=dir_user.guid)
        user.set_unusable_password()
    is_admin = dir_user.in_any_group(settings.DIRECTORY_ADMIN_GROUPS)
    is_staff = is_admin or dir_user.in_any_group(settings.DIRECTORY_STAFF_GROUPS)
    user.username = dir_user.username
    user.display_name = dir_user.display_name[:256]
    user.first_name = dir_user.given_name[:150]
    user.email = dir_user.mail[:254]
    user.is_staff = is_staff
    user.is_superuser = is_admin
    user.is_active = not dir_user.disabled
    user.save()
    return user


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
