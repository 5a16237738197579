"""A directory kept in the portal's own database, for the demo.

It behaves like AD where the portal can see it: lockout after the threshold,
complexity as AD defines it, history on a user's own change (and on an admin
reset with ``enforce_history``), disabled accounts and must-change passwords.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from identity.directory.base import (
    AccountDisabled,
    AccountLocked,
    DirectoryBackend,
    DirectoryUser,
    MustChangePassword,
    PasswordPolicy,
    PolicyViolation,
    WrongPassword,
    expiry_time,
)
from identity.directory.complexity import meets_ad_complexity
from identity.directory.names import account_name, netbios_domain


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Made with the hasher (and cost) real passwords are hashed with.
    return make_password("not-a-real-password")


DEMO_POLICY = PasswordPolicy(
    min_length=8,
    complexity=True,
    history_length=5,
    lockout_threshold=5,
    lockout_duration_seconds=15 * 60,
    max_age_days=0,
    min_age_days=0,
)


#: Keys of a demo user's ``extra`` that stand in for AD's per-user password
#: expiry: its own maximum age in days (a PSO) and DONT_EXPIRE_PASSWORD.
MAX_AGE_DAYS = "maxPwdAgeDays"
NEVER_EXPIRES = "dontExpirePassword"

DEMO_GROUPS_CONTAINER = "CN=Users,DC=demo,DC=local"


def demo_domain() -> str:
    """The demo's NetBIOS name: ``DEMO\\demo`` logs in as ``demo``."""
    return netbios_domain() or "DEMO"


class DemoDirectoryBackend(DirectoryBackend):
    policy = DEMO_POLICY

    # --- reading ---------------------------------------------------------
    def _model(self):
        from devtools.models import DemoDirectoryUser

        return DemoDirectoryUser

    def netbios_domain(self) -> str:
        return demo_domain()

    def upn_suffixes(self) -> tuple[str, ...]:
        return ("demo.local",)

    def _lookup(self, identifier: str):
        identifier = account_name((identifier or "").strip(), domain=demo_domain())
        if not identifier:
            return None
        return (
            self._model()
            .objects.filter(
                Q(username__iexact=identifier)
                | Q(upn__iexact=identifier)
                | Q(mail__iexact=identifier)
            )
            .first()
        )

    def _is_locked(self, row) -> bool:
        if row.locked_at is None:
            return False
        duration = timedelta(seconds=self.policy.lockout_duration_seconds)
        return timezone.now() < row.locked_at + duration

    def _to_user(self, row) -> DirectoryUser:
        return DirectoryUser(
            guid=row.guid,
            dn=f"CN={row.display_name or row.username},{row.ou or 'CN=Users,DC=demo,DC=local'}",
            username=row.username,
            upn=row.upn,
            display_name=row.display_name,
            given_name=row.given_name,
            mail=row.mail,
            mobile=row.mobile,
            groups=tuple(row.groups or ()),
            disabled=row.disabled,
            locked=self._is_locked(row),
            password_expired=False,
            must_change_password=row.must_change_password,
            password_last_set=row.password_last_set,
            extra={k: str(v) for k, v in (row.extra or {}).items()},
            password_never_expires=bool((row.extra or {}).get(NEVER_EXPIRES)),
            privileged=str((row.extra or {}).get("adminCount", "")) == "1",
        )

    def find_user(self, identifier: str) -> DirectoryUser | None:
        row = self._lookup(identifier)
        return self._to_user(row) if row else None

    def get_user(self, guid: str) -> DirectoryUser | None:
        row = self._model().objects.filter(guid=guid).first()
        return self._to_user(row) if row else None

    def list_users(self) -> list[DirectoryUser]:
        return [self._to_user(r) for r in self._model().objects.order_by("username")]

    def password_policy(self) -> PasswordPolicy:
        return self.policy

    def password_expiries(self) -> list[DirectoryUser]:
        """As AD's: a user's own maximum age (``extra["maxPwdAgeDays"]``, the
        demo's stand-in for a fine-grained policy) or the demo policy's."""
        users = []
        for row in self._model().objects.filter(disabled=False).order_by("username"):
            user = self._to_user(row)
            if user.password_never_expires or user.must_change_password:
                continue
            days = (row.extra or {}).get(MAX_AGE_DAYS) or self.policy.max_age_days
            try:
                seconds = int(days) * 24 * 3600
            except (TypeError, ValueError):
                seconds = 0
            expires = expiry_time(user.password_last_set, seconds)
            users.append(replace(user, password_expires_at=expires))
        return users

    # The demo's groups are names; their DNs sit in CN=Users like AD's
    # built-in ones (no nesting in the demo).
    @staticmethod
    def group_dn(name: str) -> str:
        return f"CN={name},{DEMO_GROUPS_CONTAINER}"

    def nested_group_dns(self, user: DirectoryUser) -> tuple[str, ...]:
        row = self._model().objects.filter(guid=user.guid).first() if user.guid else None
        return tuple(self.group_dn(g) for g in (row.groups or ())) if row else ()

    def nested_member_guids(self, group_dn: str) -> set[str]:
        wanted = (group_dn or "").replace(" ", "").casefold()
        return {
            row.guid
            for row in self._model().objects.only("guid", "groups")
            if any(self.group_dn(g).replace(" ", "").casefold() == wanted for g in row.groups or ())
        }

    def enforces_history_on_reset(self) -> bool:
        return True  # set_password checks the stored history

    def check(self) -> None:
        self._model().objects.exists()

    # --- binding -----------------------------------------------------------
    def authenticate(self, username: str, password: str) -> DirectoryUser:
        row = self._lookup(username)
        if row is None or not password:
            # As long as a wrong password of a real account takes: the time
            # of an answer must not tell whether the name exists.
            check_password(password or "", _dummy_hash())
            raise WrongPassword(detail="52e")
        # The failed-attempt count must be committed even though we then raise:
        # decide inside the transaction, raise after it.
        with transaction.atomic():
            row = self._model().objects.select_for_update().get(pk=row.pk)
            error = self._check_bind(row, password)
            if error is None and row.bad_password_count:
                row.bad_password_count = 0
                row.save(update_fields=["bad_password_count"])
        if error is not None:
            raise error
        return self._to_user(row)

    def _count_bad_password(self, row) -> None:
        row.bad_password_count += 1
        threshold = self.policy.lockout_threshold
        if threshold and row.bad_password_count >= threshold:
            row.locked_at = timezone.now()
        row.save(update_fields=["bad_password_count", "locked_at"])

    def _check_bind(self, row, password: str):
        """The error a bind with ``password`` gets (AD's order), or None."""
        if self._is_locked(row):
            # As long as a wrong password takes: a quick "locked" would tell
            # that the name is an account, and that it is locked.
            check_password(password, row.password_hash)
            return AccountLocked(detail="775")
        if not check_password(password, row.password_hash):
            self._count_bad_password(row)
            return WrongPassword(detail="52e")
        if row.disabled:
            return AccountDisabled(detail="533")
        if row.must_change_password:
            return MustChangePassword(detail="773")
        return None

    # --- writing -----------------------------------------------------------
    def _check_policy(self, row, new_password: str, *, history: bool) -> None:
        if len(new_password) < self.policy.min_length:
            raise PolicyViolation(reason="too_short", detail="0000052D")
        if self.policy.complexity and not meets_ad_complexity(
            new_password, row.username, row.display_name
        ):
            raise PolicyViolation(reason="complexity", detail="0000052D")
        if history:
            previous = [row.password_hash, *row.password_history][: self.policy.history_length]
            if any(check_password(new_password, h) for h in previous):
                raise PolicyViolation(reason="history", detail="0000052D")

    def _write(self, row, new_password: str, *, must_change: bool = False) -> None:
        row.password_history = [row.password_hash, *row.password_history][
            : self.policy.history_length
        ]
        row.password_hash = make_password(new_password)
        row.password_last_set = timezone.now()
        row.must_change_password = must_change
        row.save()

    @transaction.atomic
    def set_password(
        self,
        user: DirectoryUser,
        new_password: str,
        *,
        enforce_history: bool = True,
        must_change: bool = False,
    ) -> None:
        row = self._model().objects.select_for_update().get(guid=user.guid)
        self._check_policy(row, new_password, history=enforce_history)
        self._write(row, new_password, must_change=must_change)

    def change_password(self, username: str, old_password: str, new_password: str) -> DirectoryUser:
        row = self._lookup(username)
        if row is None:
            raise WrongPassword(detail="52e")
        with transaction.atomic():
            row = self._model().objects.select_for_update().get(pk=row.pk)
            error = self._check_bind(row, old_password or "")
            if isinstance(error, MustChangePassword):
                error = None  # the point of the change
            if error is None:
                self._check_policy(row, new_password, history=True)
                row.bad_password_count = 0
                self._write(row, new_password)
        if error is not None:
            raise error
        return self._to_user(row)

    @transaction.atomic
    def unlock(self, user: DirectoryUser) -> None:
        self._model().objects.filter(guid=user.guid).update(locked_at=None, bad_password_count=0)

    # --- demo seeding --------------------------------------------------------
    def create_user(self, *, username: str, password: str, **fields) -> DirectoryUser:
        import uuid

        row, _ = self._model().objects.update_or_create(
            username=username,
            defaults={
                "guid": fields.pop("guid", None) or str(uuid.uuid4()),
                "password_hash": make_password(password),
                "password_last_set": timezone.now(),
                **fields,
            },
        )
        return self._to_user(row)
