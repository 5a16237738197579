"""The Active Directory backend, on ldap3 over LDAPS (or StartTLS).

Lookups and admin writes use one pooled service-account connection
(``ad_connection``); a password check binds as the user on a fresh connection.
AD's answers become the errors of ``base`` in ``ad_errors``; entries become
DirectoryUser in ``ad_entries``. Behaviour mirrors the demo backend.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import replace

from ldap3 import BASE, MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE, SUBTREE, Connection
from ldap3.utils.conv import escape_filter_chars

from . import ad_entries, ad_errors
from .ad_connection import CONNECTION_LOST, AdConfig, Connector, ServiceConnection, close_quietly
from .ad_values import (
    POLICY_HINTS_OID,
    POLICY_HINTS_OLD_OID,
    clean_identifier,
    encode_password,
    policy_hints_value,
    sendable,
)
from .base import (
    DirectoryBackend,
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
    PasswordPolicy,
    PolicyViolation,
    UserNotFound,
    WrongPassword,
)
from .names import account_name

logger = logging.getLogger("identity.directory.ad")

POLICY_CACHE_SECONDS = 300
PAGE_SIZE = 500
#: LDAP_MATCHING_RULE_IN_CHAIN: nested group membership in one search.
IN_CHAIN = "1.2.840.113556.1.4.1941"


class ActiveDirectoryBackend(DirectoryBackend):
    def __init__(self, config: AdConfig | None = None) -> None:
        self.config = config or AdConfig.from_settings()
        self.connector = Connector(self.config)
        self.service = ServiceConnection(
            self.connector, self.config.bind_dn, self.config.bind_password
        )
        self._lock = threading.Lock()
        self._root_dse: dict | None = None
        self._policy: PasswordPolicy | None = None
        self._policy_read_at = 0.0
        self._hints_critical = True
        self._warned_no_hints = False
        self._attributes = [*ad_entries.USER_ATTRIBUTES, *self.config.extra_attributes]

    # --- reading ---------------------------------------------------------
    def _search_users(self, search_filter: str) -> list[DirectoryUser]:
        def search(conn: Connection) -> list[DirectoryUser]:
            conn.search(
                self.config.base_dn,
                search_filter,
                search_scope=SUBTREE,
                attributes=self._attributes,
                size_limit=10,
            )
            self._raise_for_search(conn.result)
            return [
                ad_entries.to_user(e["dn"], e["raw_attributes"], self.config.extra_attributes)
                for e in conn.response or []
                if e.get("type") == "searchResEntry"
            ]

        return self.service.run(search)

    @staticmethod
    def _raise_for_search(result: dict) -> None:
        code = result.get("result")
        if code in (ad_errors.SUCCESS, 4):  # 4: sizeLimitExceeded still returns entries
            return
        if code in ad_errors.TRANSIENT_RESULTS:
            raise DirectoryUnavailable(detail=f"search: {result}")
        logger.error("LDAP search failed: %s %s", result.get("description"), result.get("message"))
        raise DirectoryError(detail=f"search: {result.get('description')} {result.get('message')}")

    def find_user(self, identifier: str) -> DirectoryUser | None:
        identifier = clean_identifier(account_name(clean_identifier(identifier) or ""))
        if identifier is None:
            return None
        found = self._search_users(ad_entries.user_filter(self.config.user_filter, identifier))
        wanted = identifier.casefold()
        # A sAMAccountName or UPN is unique in the domain; mail is not enforced.
        for key in ("username", "upn", "mail"):
            matches = [u for u in found if getattr(u, key).casefold() == wanted]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                logger.warning("%d directory users share the %s %r", len(matches), key, identifier)
                return None
        return None

    def get_user(self, guid: str) -> DirectoryUser | None:
        search_filter = ad_entries.guid_filter(self.config.user_filter, guid)
        if search_filter is None:
            return None
        found = self._search_users(search_filter)
        return found[0] if len(found) == 1 else None

    def list_users(self) -> list[DirectoryUser]:
        def search_all(conn: Connection) -> list[DirectoryUser]:
            entries = conn.extend.standard.paged_search(
                self.config.base_dn,
                self.config.user_filter,
                search_scope=SUBTREE,
                attributes=self._attributes,
                paged_size=PAGE_SIZE,
                generator=False,
            )
            self._raise_for_search(conn.result)
            return [
                ad_entries.to_user(e["dn"], e["raw_attributes"], self.config.extra_attributes)
                for e in entries or []
                if e.get("type") == "searchResEntry"
            ]

        return sorted(self.service.run(search_all), key=lambda u: u.username.casefold())

    def password_expiries(self) -> list[DirectoryUser]:
        """One paged search of the enabled users in scope whose password can
        expire (disabled and DONT_EXPIRE_PASSWORD accounts are left out by
        the filter), with the DC's computed expiry time."""
        search_filter = (
            f"(&{self.config.user_filter}"
            "(!(userAccountControl:1.2.840.113556.1.4.803:=2))"
            "(!(userAccountControl:1.2.840.113556.1.4.803:=65536)))"
        )
        attributes = [*self._attributes, *ad_entries.EXPIRY_ATTRIBUTES]

        def search_all(conn: Connection) -> list[tuple[str, dict]]:
            entries = conn.extend.standard.paged_search(
                self.config.base_dn,
                search_filter,
                search_scope=SUBTREE,
                attributes=attributes,
                paged_size=PAGE_SIZE,
                generator=False,
            )
            self._raise_for_search(conn.result)
            return [
                (e["dn"], e["raw_attributes"])
                for e in entries or []
                if e.get("type") == "searchResEntry"
            ]

        pso_ages: dict[str, int | None] = {}

        def pso_max_age(dn: str) -> int | None:
            if dn not in pso_ages:
                pso_ages[dn] = self._pso_max_age(dn)
            return pso_ages[dn]

        def domain_max_age() -> int:
            return self.password_policy().max_age_days * 24 * 3600

        users = []
        for dn, raw in self.service.run(search_all):
            user = ad_entries.to_user(dn, raw, self.config.extra_attributes)
            expires = ad_entries.password_expiry(
                raw, user, domain_max_age=domain_max_age, pso_max_age=pso_max_age
            )
            users.append(replace(user, password_expires_at=expires))
        return sorted(users, key=lambda u: u.username.casefold())

    def _pso_max_age(self, dn: str) -> int | None:
        """A PSO's msDS-MaximumPasswordAge in seconds (0: never), or None when
        the service account may not read it (then the domain's applies)."""

        def read(conn: Connection) -> int | None:
            conn.search(
                dn, "(objectClass=*)", search_scope=BASE, attributes=[ad_entries.PSO_MAX_AGE]
            )
            if conn.result.get("result") != ad_errors.SUCCESS or not conn.response:
                return None
            raw = conn.response[0].get("raw_attributes", {})
            if ad_entries.text(raw, ad_entries.PSO_MAX_AGE) == "":
                return None
            return ad_entries.interval_seconds(ad_entries.integer(raw, ad_entries.PSO_MAX_AGE))

        return self.service.run(read)

    # --- group membership (per-group policies) ----------------------------
    def _paged(self, search_filter: str, attributes: list[str]) -> list[dict]:
        base = self._root()["domain"] or self.config.base_dn

        def search(conn: Connection) -> list[dict]:
            entries = conn.extend.standard.paged_search(
                base,
                search_filter,
                search_scope=SUBTREE,
                attributes=attributes,
                paged_size=PAGE_SIZE,
                generator=False,
            )
            self._raise_for_search(conn.result)
            return [e for e in entries or [] if e.get("type") == "searchResEntry"]

        return self.service.run(search)

    def nested_group_dns(self, user: DirectoryUser) -> tuple[str, ...]:
        # 1.2.840.113556.1.4.1941 walks the member links transitively on the
        # DC (Windows and Samba), in one search, whatever the depth.
        member = escape_filter_chars(user.dn or "")
        found = self._paged(f"(&(objectClass=group)(member:{IN_CHAIN}:={member}))", ["objectClass"])
        return tuple(sorted(e["dn"] for e in found))

    def nested_member_guids(self, group_dn: str) -> set[str]:
        group = escape_filter_chars(group_dn or "")
        found = self._paged(
            f"(&(objectClass=user)(objectCategory=person)(memberOf:{IN_CHAIN}:={group}))",
            ["objectGUID"],
        )
        guids = set()
        for entry in found:
            raw = (entry.get("raw_attributes") or {}).get("objectGUID") or [b""]
            if raw[0] and len(raw[0]) == 16:
                guids.add(str(uuid.UUID(bytes_le=raw[0])))
        return guids

    def _root(self) -> dict:
        """The root DSE's defaultNamingContext and supportedControl, read once."""
        with self._lock:
            if self._root_dse is not None:
                return self._root_dse

        def read(conn: Connection) -> dict:
            conn.search(
                "",
                "(objectClass=*)",
                search_scope=BASE,
                attributes=["defaultNamingContext", "supportedControl"],
            )
            self._raise_for_search(conn.result)
            attributes = conn.response[0]["raw_attributes"]
            return {
                "domain": ad_entries.text(attributes, "defaultNamingContext"),
                "controls": {v.decode() for v in attributes.get("supportedControl", [])},
            }

        root = self.service.run(read)
        with self._lock:
            self._root_dse = root
        return root

    def password_policy(self) -> PasswordPolicy:
        with self._lock:
            if self._policy and time.monotonic() - self._policy_read_at < POLICY_CACHE_SECONDS:
                return self._policy
        domain = self._root()["domain"] or self.config.base_dn

        def read(conn: Connection) -> PasswordPolicy:
            conn.search(
                domain,
                "(objectClass=*)",
                search_scope=BASE,
                attributes=ad_entries.POLICY_ATTRIBUTES,
            )
            self._raise_for_search(conn.result)
            return ad_entries.to_policy(conn.response[0]["raw_attributes"])

        policy = self.service.run(read)
        with self._lock:
            self._policy, self._policy_read_at = policy, time.monotonic()
        return policy

    def check(self) -> None:
        def ping(conn: Connection) -> None:
            conn.search("", "(objectClass=*)", search_scope=BASE, attributes=["1.1"])
            if conn.result.get("result") != ad_errors.SUCCESS:
                raise DirectoryUnavailable(detail=f"root DSE: {conn.result}")

        self.service.run(ping)

    # --- binding -----------------------------------------------------------
    def _bind_as(self, dn: str, password: str) -> tuple[Connection | None, dict]:
        """Bind as ``dn`` on a fresh connection: (the bound connection, its
        result) or (None, the failed bind's result)."""
        conn = self.connector.open(dn, password)
        try:
            bound = conn.bind()
        except CONNECTION_LOST as exc:
            close_quietly(conn)
            raise DirectoryUnavailable(detail=f"bind: {exc}") from exc
        if bound:
            return conn, conn.result
        result = dict(conn.result)
        close_quietly(conn)
        return None, result

    def _decoy_bind(self, password: str) -> None:
        """A bind that fails like a real one, so that an unknown user costs the
        same time as a wrong password (no enumeration by timing)."""
        dn = f"CN={uuid.uuid4()},{self.config.base_dn}"
        conn, _result = self._bind_as(dn, password)
        close_quietly(conn)

    def authenticate(self, username: str, password: str) -> DirectoryUser:
        identifier = clean_identifier(username)
        if identifier is None or not sendable(password):
            raise WrongPassword(detail="52e")
        user = self.find_user(identifier)
        if user is None:
            self._decoy_bind(password)
            raise WrongPassword(detail="52e unknown user")
        conn, result = self._bind_as(user.dn, password)
        if conn is None:
            raise ad_errors.bind_error(result)
        close_quietly(conn)
        return user

    # --- writing -----------------------------------------------------------
    def enforces_history_on_reset(self) -> bool:
        """Whether the DC advertises the policy hints control (Windows 2012 R2
        and later); Samba 4.17 does not, and then ignores it."""
        controls = self._root()["controls"]
        return POLICY_HINTS_OID in controls or POLICY_HINTS_OLD_OID in controls

    def _policy_hints(self) -> list[tuple[str, bool, bytes]]:
        controls = self._root()["controls"]
        if POLICY_HINTS_OID in controls:
            oid, critical = POLICY_HINTS_OID, self._hints_critical
        elif POLICY_HINTS_OLD_OID in controls:
            oid, critical = POLICY_HINTS_OLD_OID, self._hints_critical
        else:
            # Not advertised (Samba 4.17): sent anyway, but not as critical.
            oid, critical = POLICY_HINTS_OID, False
            if not self._warned_no_hints:
                self._warned_no_hints = True
                logger.warning(
                    "The directory does not advertise the password policy hints control: "
                    "admin resets are not checked against password history"
                )
        return [(oid, critical, policy_hints_value())]

    def _refusal(self, result: dict, new_password: str, user, **checks) -> DirectoryError:
        error = ad_errors.write_error(result)
        if isinstance(error, PolicyViolation) and error.reason == "unknown":
            try:
                policy = self.password_policy()
            except DirectoryError:
                return error
            reason = ad_errors.infer_policy_reason(new_password, policy=policy, user=user, **checks)
            return PolicyViolation(reason=reason, detail=f"{error.detail} (reason inferred)")
        if type(error) is DirectoryError:
            logger.error("AD refused a password write on %s: %s", user.dn, error.detail)
        return error

    def set_password(
        self,
        user: DirectoryUser,
        new_password: str,
        *,
        enforce_history: bool = True,
        must_change: bool = False,
    ) -> None:
        if not sendable(new_password):
            raise PolicyViolation(reason="too_short" if not new_password else "unknown")
        changes = {"unicodePwd": [(MODIFY_REPLACE, [encode_password(new_password)])]}
        controls = self._policy_hints() if enforce_history else None

        def reset(conn: Connection) -> dict:
            conn.modify(user.dn, changes, controls=controls)
            if conn.result.get("result") == ad_errors.UNAVAILABLE_CRITICAL_EXTENSION and controls:
                logger.warning(
                    "The DC refused the policy hints control as critical: sending it "
                    "non-critical; the DC may not check password history on this reset"
                )
                self._hints_critical = False
                conn.modify(user.dn, changes, controls=[(oid, False, v) for oid, _c, v in controls])
            return conn.result

        result = self.service.run(reset, idempotent=False)
        if result.get("result") != ad_errors.SUCCESS:
            raise self._refusal(
                result, new_password, user, check_age=False, check_history=enforce_history
            )
        if must_change:
            self._replace(user, "pwdLastSet", 0)

    def _replace(self, user: DirectoryUser, attribute: str, value) -> None:
        def modify(conn: Connection) -> dict:
            conn.modify(user.dn, {attribute: [(MODIFY_REPLACE, [value])]})
            return conn.result

        result = self.service.run(modify)
        if result.get("result") != ad_errors.SUCCESS:
            error = ad_errors.write_error(result)
            logger.error("AD refused to set %s on %s: %s", attribute, user.dn, error.detail)
            raise error

    def change_password(self, username: str, old_password: str, new_password: str) -> DirectoryUser:
        identifier = clean_identifier(username)
        if identifier is None or not sendable(old_password):
            raise WrongPassword(detail="52e")
        user = self.find_user(identifier)
        if user is None:
            self._decoy_bind(old_password)
            raise WrongPassword(detail="52e unknown user")
        if not sendable(new_password):
            raise PolicyViolation(reason="too_short" if not new_password else "unknown")
        # Binding first proves the old password and tells locked/disabled apart
        # the way a login does. An expired or must-change password cannot bind
        # (532/773) but is the right one: the change is then made on the
        # service connection, as AD grants "Change Password" to Everyone.
        conn, result = self._bind_as(user.dn, old_password)
        if conn is None:
            data = ad_errors.bind_data_code(result.get("message", ""))
            if result.get("result") != ad_errors.INVALID_CREDENTIALS or (
                data not in ad_errors.PASSWORD_ACCEPTED_CODES
            ):
                raise ad_errors.bind_error(result)
        changes = {
            "unicodePwd": [
                (MODIFY_DELETE, [encode_password(old_password)]),
                (MODIFY_ADD, [encode_password(new_password)]),
            ]
        }

        def change(target: Connection) -> dict:
            target.modify(user.dn, changes)
            return target.result

        if conn is not None:
            try:
                result = change(conn)
            except CONNECTION_LOST as exc:
                raise DirectoryUnavailable(detail=f"change password: {exc}") from exc
            finally:
                close_quietly(conn)
        else:
            result = self.service.run(change, idempotent=False)
        if result.get("result") != ad_errors.SUCCESS:
            raise self._refusal(result, new_password, user, check_age=True, check_history=True)
        refreshed = self.get_user(user.guid)
        if refreshed is None:
            raise UserNotFound(detail=user.dn)
        return refreshed

    def unlock(self, user: DirectoryUser) -> None:
        self._replace(user, "lockoutTime", 0)

    def close(self) -> None:
        self.service.close()
