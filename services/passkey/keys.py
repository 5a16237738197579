"""A user's keys: list, name, rename, remove, and how they are shown.

Each change writes its own audit row and tells the user through the core's
notice path (``enrollment.notify``). The user's ``Enrollment`` of the service
stays while at least one key does; removing the last key removes it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.service import client_ip, record
from enrollment.models import Enrollment
from enrollment.notify import queue_enrollment_notices
from enrollment.services import remove_enrollment

from .ceremony import PasskeyError, key_ref
from .models import PasskeyCredential

SERVICE_KEY = "passkey"
NAME_MAX = 64


def user_keys(user_guid: str) -> list[PasskeyCredential]:
    if not user_guid:
        return []
    return list(PasskeyCredential.objects.filter(user_guid=user_guid).order_by("created_at", "pk"))


def clean_name(name: str) -> str:
    """The name as typed, trimmed; PasskeyError for an empty or too long one."""
    name = " ".join((name or "").split())
    if not name:
        raise PasskeyError("name_empty")
    if len(name) > NAME_MAX:
        raise PasskeyError("name_too_long")
    return name


def default_name(*, attachment: str, transports: list[str], backed_up: bool) -> str:
    """A name from what the authenticator said it is, and today's date."""
    today = timezone.localdate().isoformat()
    if backed_up:
        kind = _("Passkey (synkad)")
    elif attachment == "platform" or "internal" in transports:
        kind = _("Passkey på den här enheten")
    elif attachment == "cross-platform" or {"usb", "nfc", "ble"} & set(transports):
        kind = _("Säkerhetsnyckel")
    else:
        kind = _("Passkey")
    return f"{kind} {today}"


def summary(user_guid: str) -> str:
    """What ``Enrollment.display`` holds: the keys' names (no secret)."""
    return ", ".join(k.name for k in user_keys(user_guid))[:256]


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d") if value else ""


def describe_keys(user_guid: str) -> str:
    """The keys, for the helpdesk: name, when added and when last used."""
    parts = []
    for key in user_keys(user_guid):
        if key.last_used_at:
            when = _("tillagd %(added)s, senast använd %(used)s") % {
                "added": _date(key.created_at),
                "used": _date(key.last_used_at),
            }
        else:
            when = _("tillagd %(added)s, inte använd") % {"added": _date(key.created_at)}
        parts.append(f"{key.name} ({when})")
    return "; ".join(parts)


def _refresh_display(user_guid: str) -> None:
    # update(): the display follows the names without making the service "new"
    # (updated_at starts the quiet period of a changed service).
    Enrollment.objects.filter(user_guid=user_guid, service=SERVICE_KEY).update(
        display=summary(user_guid)
    )


def get_key(*, user_guid: str, key_id) -> PasskeyCredential:
    try:
        return PasskeyCredential.objects.get(pk=int(key_id), user_guid=user_guid)
    except (PasskeyCredential.DoesNotExist, TypeError, ValueError):
        raise PasskeyError("unknown_key") from None


@transaction.atomic
def rename_passkey(*, request, user_guid: str, key_id, name: str) -> PasskeyCredential:
    key = get_key(user_guid=user_guid, key_id=key_id)
    new = clean_name(name)
    old = key.name
    key.name = new
    key.save(update_fields=["name"])
    _refresh_display(user_guid)
    record(
        action="passkey.renamed",
        result="success",
        request=request,
        subject=key.enrollment.username,
        subject_guid=user_guid,
        details={"key": key_ref(key.credential_id), "old_name": old, "name": new},
    )
    return key


@transaction.atomic
def remove_passkey(*, request, user_guid: str, key_id, actor: str = "", reason: str = "") -> bool:
    """Remove one key; the last one takes the enrolment with it. Returns
    whether the user still has keys."""
    key = get_key(user_guid=user_guid, key_id=key_id)
    enrollment = key.enrollment
    remaining = PasskeyCredential.objects.filter(user_guid=user_guid).exclude(pk=key.pk).count()
    record(
        action="passkey.removed",
        result="success",
        request=request,
        actor=actor,
        subject=enrollment.username,
        subject_guid=user_guid,
        details={
            "key": key_ref(key.credential_id),
            "name": key.name,
            "remaining": remaining,
            "by": "helpdesk" if actor else "user",
            "reason": reason[:500],
        },
    )
    queue_enrollment_notices(
        user_guid=user_guid,
        service=SERVICE_KEY,
        created=False,
        ip=(client_ip(request) or "") if request is not None else "",
    )
    if remaining:
        key.delete()
        _refresh_display(user_guid)
        return True
    remove_enrollment(
        request=request,
        enrollment=enrollment,
        reason=reason or "last passkey removed",
        actor=actor,
    )
    return False
