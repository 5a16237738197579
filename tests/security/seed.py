"""Accounts of the attacked stack (run with ``manage.py shell``)."""

from datetime import timedelta

from django.utils import timezone

from enrollment.crypto import encrypt
from enrollment.models import Enrollment
from identity.directory import get_directory
from services.bankid.pnr import hash_personal_number
from services.sms.phone import mask

directory = get_directory()
PASSWORD = "Gammal-Hemlis-42"
LONG_AGO = timezone.now() - timedelta(days=60)


def user(name, **fields):
    return directory.create_user(
        username=name,
        password=PASSWORD,
        upn=f"{name}@demo.local",
        mail=f"{name}.x@demo.local",
        display_name=name.title(),
        given_name=name.title(),
        **fields,
    )


def sms(u, number, *, old=True):
    Enrollment.objects.create(
        user_guid=u.guid,
        username=u.username,
        service="sms",
        display=mask(number),
        protected_value=encrypt(number),
    )
    if old:
        Enrollment.objects.filter(user_guid=u.guid).update(created_at=LONG_AGO, updated_at=LONG_AGO)


for i in range(65):
    sms(user(f"user{i:02d}"), f"+467012345{i:02d}")
user("bob")  # nothing enrolled
user("helpdesk1", groups=["Helpdesk"])
user("helpdesk2", groups=["Helpdesk"])
target = user("target", extra={"employeeNumber": "199001012385"})
Enrollment.objects.create(
    user_guid=target.guid,
    username="target",
    service="bankid",
    display="Target Person",
    value_hash=hash_personal_number("199001012385"),
)
Enrollment.objects.filter(user_guid=target.guid).update(created_at=LONG_AGO, updated_at=LONG_AGO)
# In a group whose policy lets one SMS reset (stack_settings.RESET_POLICIES),
# so the quiet period is what stops a Mobilkod enrolled just now.
fresh = user("fresh", groups=["SmsOnly"])
sms(fresh, "+46701239999", old=False)  # enrolled just now: in its quiet period
print("seeded")
