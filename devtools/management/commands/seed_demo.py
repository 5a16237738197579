"""Fill the demo directory with users. Existing users are left as they are, so
a password reset in the demo survives a restart."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devtools.demo_directory import MAX_AGE_DAYS, DemoDirectoryBackend
from identity.directory import get_directory

DEMO_USERS = [
    {
        "username": "demo",
        "password": "Demo-Portal-2026!",
        "display_name": "Demo Användare",
        "given_name": "Demo",
        "mail": "demo@demo.local",
        "mobile": "+46701234512",
        "ou": "OU=Ekonomi,OU=Staff,DC=demo,DC=local",
        "extra": {"employeeNumber": "199001012385"},
    },
    {
        "username": "helpdesk",
        "password": "Demo-Helpdesk-2026!",
        "display_name": "Helena Helpdesk",
        "given_name": "Helena",
        "mail": "helpdesk@demo.local",
        "groups": ["Helpdesk"],
        "ou": "OU=IT,OU=Staff,DC=demo,DC=local",
    },
    {
        "username": "admin",
        "password": "Demo-Admin-2026!",
        "display_name": "Adam Admin",
        "given_name": "Adam",
        "mail": "admin@demo.local",
        "groups": ["Portal Admins"],
        "ou": "OU=IT,OU=Staff,DC=demo,DC=local",
    },
    {
        "username": "karin",
        "password": "Karin-Portal-2026!",
        "display_name": "Karin Karlsson",
        "given_name": "Karin",
        "mail": "karin.karlsson@demo.local",
        "mobile": "+46731112233",
        "ou": "OU=Ekonomi,OU=Staff,DC=demo,DC=local",
        "extra": {"employeeNumber": "201701122382"},
    },
    {
        # A password that expires in 3 days (his own maximum age of 90 days,
        # the demo's stand-in for a fine-grained policy): the expiry reminder.
        "username": "erik",
        "password": "Erik-Portal-2026!",
        "display_name": "Erik Eriksson",
        "given_name": "Erik",
        "mail": "erik.eriksson@demo.local",
        "ou": "OU=Lager,OU=Staff,DC=demo,DC=local",
        "extra": {MAX_AGE_DAYS: "90"},
        "password_age_days": 87,
    },
    {
        "username": "olle",
        "password": "Olle-Portal-2026!",
        "display_name": "Olle Olsson",
        "given_name": "Olle",
        "mail": "olle.olsson@demo.local",
        "ou": "OU=Lager,OU=Staff,DC=demo,DC=local",
        "must_change_password": True,
    },
]


#: The admin's policy for the helpdesk group (shown in the admin under
#: "Policyer"): people who can unlock others' accounts need BankID for their own
#: reset, and a full row of 3 stars: BankID and Mobilkod both.
HELPDESK_POLICY = {
    "name": "Helpdesk",
    "priority": 10,
    "group_dn": DemoDirectoryBackend.group_dn("Helpdesk"),
    "services": "bankid:2:required,sms:1",
    "stars_full": 3,
    "stars_reset": 3,
    "reset_allowed": True,
}


class Command(BaseCommand):
    help = "Create the demo directory's users (existing users are kept) and the helpdesk policy."

    def handle(self, *args, **options):
        directory = get_directory()
        if not isinstance(directory, DemoDirectoryBackend):
            raise CommandError("seed_demo fills the demo directory only (DIRECTORY_BACKEND).")
        for entry in DEMO_USERS:
            entry = dict(entry)
            if directory.find_user(entry["username"]):
                continue
            entry.setdefault("upn", f"{entry['username']}@demo.local")
            age = entry.pop("password_age_days", 0)
            if age:
                entry["password_last_set"] = timezone.now() - timedelta(days=age)
            directory.create_user(**entry)
            self.stdout.write(f"created demo user {entry['username']}")
        from enrollment.models import ResetPolicy

        fields = dict(HELPDESK_POLICY)
        _policy, created = ResetPolicy.objects.get_or_create(
            name=fields.pop("name"), defaults=fields
        )
        if created:
            self.stdout.write("created the policy for the Helpdesk group")
