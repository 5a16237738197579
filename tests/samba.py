"""A throw-away Samba AD DC for the tests (see ../shared/reference/samba-ad-dc.md).

``samba_dc`` (session) provisions a domain TEST.LOCAL into a temp dir, starts
``samba -i -M single`` serving only LDAP/LDAPS on a free loopback address,
and sets up OU=Staff, the group Helpdesk and a service account ``svc-portal``
delegated reset-password and write lockoutTime/pwdLastSet on OU=Staff. It
stops the DC (by PID) at the end of the session. ``ad_directory`` points the
settings at it and returns the directory backend.

Each test makes its own users (``samba_dc.unique(...)``): the DC is shared by
the whole session and lockouts must not leak between tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from ldap3 import BASE, MODIFY_ADD, MODIFY_REPLACE, NONE, Connection, Server
from ldap3.protocol.formatters.formatters import format_sid
from ldap3.utils.dn import escape_rdn

REALM = "TEST.LOCAL"
DOMAIN = "TEST"
HOST = "dc1"
BASE_DN = "DC=test,DC=local"
SERVER_NAME = "dc1.test.local"
ADMIN_DN = f"CN=Administrator,CN=Users,{BASE_DN}"
ADMIN_PASSWORD = "Samba-Admin-Test-1"
SERVICE_DN = f"CN=svc-portal,CN=Users,{BASE_DN}"
SERVICE_PASSWORD = "Svc-Portal-Test-1"
STAFF_OU = f"OU=Staff,{BASE_DN}"
READY_TIMEOUT = 90
DIR_PREFIX = "samba-dc-"
#: The session's policy; ``samba_dc.policy(...)`` changes it for one test.
DEFAULT_POLICY = {
    "min_pwd_age": 0,
    "max_pwd_age": 0,
    "account_lockout_threshold": 3,
    "history_length": 24,
    "min_pwd_length": 7,
    "complexity": True,
}
# schemaIDGUIDs for the service account's delegation on OU=Staff.
_USER_CLASS = "bf967aba-0de6-11d0-a285-00aa003049e2"
_RESET_PASSWORD_RIGHT = "00299570-246d-11d0-a768-00aa006e0529"
_LOCKOUT_TIME = "28630ebf-41d5-11d1-a9c1-0000f80367c1"
_PWD_LAST_SET = "bf967a0a-0de6-11d0-a285-00aa003049e2"

_TIMINGS: dict[str, float] = {}


def _encode_password(password: str) -> bytes:
    return f'"{password}"'.encode("utf-16-le")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Let the kernel stop samba if pytest dies without running finalizers."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    os.setsid()


def _free_loopback_address() -> str:
    """A 127.x address whose LDAP ports are free (the DC's ports cannot move,
    so a second test session or a developer's DC gets its own address)."""
    forced = os.environ.get("SAMBA_TEST_ADDRESS")
    if forced:
        return forced
    candidates = [f"127.0.0.{n}" for n in range(20, 250)]
    random.Random(os.getpid()).shuffle(candidates)
    for address in candidates:
        try:
            for port in (389, 636):
                with socket.socket() as probe:
                    probe.bind((address, port))
        except OSError:
            continue
        return address
    raise RuntimeError("no free loopback address for the Samba DC")


class SambaDC:
    """A provisioned domain controller in ``root``, serving LDAPS on ``address``."""

    server_name = SERVER_NAME
    base_dn = BASE_DN
    staff_ou = STAFF_OU
    bind_dn = SERVICE_DN
    bind_password = SERVICE_PASSWORD
    admin_dn = ADMIN_DN
    admin_password = ADMIN_PASSWORD

    def __init__(self, root: Path, address: str) -> None:
        self.root = root
        self.address = address
        self.url = f"ldaps://{address}:636"
        self.ca_file = str(root / "private" / "tls" / "ca.pem")
        self.conf = root / "etc" / "smb.conf"
        self.log_file = root / "log" / "samba.out"
        self.process: subprocess.Popen | None = None
        self._names = itertools.count(1)
        self._admin_conn: Connection | None = None

    # --- lifecycle -----------------------------------------------------------
    def provision(self) -> None:
        (self.root / "run").mkdir(parents=True, exist_ok=True)
        (self.root / "log").mkdir(exist_ok=True)
        empty = self.root / "empty.conf"
        empty.write_text("")
        run = self.root / "run"
        options = {
            "netbios name": "DC1",
            "interfaces": f"{self.address}/8",
            "bind interfaces only": "yes",
            "server services": "ldap",
            "pid directory": run,
            "ncalrpc dir": run / "ncalrpc",
            "winbindd socket directory": run / "winbindd",
            "ntp signd socket directory": run / "ntp_signd",
            "log file": self.root / "log" / "log.%m",
        }
        self._tool(
            "domain",
            "provision",
            "-s",
            str(empty),
            f"--realm={REALM}",
            f"--domain={DOMAIN}",
            f"--host-name={HOST}",
            "--server-role=dc",
            "--dns-backend=NONE",
            "--use-rfc2307",
            f"--adminpass={ADMIN_PASSWORD}",
            f"--targetdir={self.root}",
            *(f"--option={key}={value}" for key, value in options.items()),
        )
        # Provision drops this when given as --option. Without it the previous
        # password still binds for an hour after a change.
        text = self.conf.read_text()
        self.conf.write_text(
            text.replace("[global]\n", "[global]\n\told password allowed period = 0\n", 1)
        )
        self.set_policy(**DEFAULT_POLICY)

    def start(self) -> None:
        if self.running:
            return
        started = time.monotonic()
        log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            [_samba_binary(), "-i", "-M", "single", "-s", str(self.conf)],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        log.close()
        self._wait_ready()
        _TIMINGS.setdefault("start", time.monotonic() - started)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop samba by its PID and wait until it has exited."""
        self._drop_admin()
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdin:
            self.process.stdin.close()
        self.process = None

    def ensure_running(self) -> None:
        if not self.running:
            self.start()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        last_error = ""
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"samba exited while starting\n{self.log_tail()}")
            try:
                conn = self._connection(None, None)
                conn.open()
                conn.search("", "(objectClass=*)", search_scope=BASE, attributes=["dnsHostName"])
                conn.unbind()
                return
            except Exception as exc:  # not up yet: keep polling
                last_error = str(exc)
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"Samba AD DC did not answer LDAPS on {self.url} within {READY_TIMEOUT}s "
            f"({last_error})\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for path in (self.log_file, self.root / "log" / "log.samba"):
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path} ---\n" + "\n".join(tail))
        return "\n".join(parts) or "(no samba log)"

    # --- directory setup -------------------------------------------------------
    def setup_directory(self) -> None:
        admin = self.ldap_admin()
        admin.add(STAFF_OU, ["top", "organizationalUnit"])
        self._check(admin, "add OU=Staff")
        admin.add(
            SERVICE_DN,
            ["top", "person", "organizationalPerson", "user"],
            {
                "sAMAccountName": "svc-portal",
                "unicodePwd": _encode_password(SERVICE_PASSWORD),
                "userAccountControl": 0x200 | 0x10000,  # normal account, never expires
            },
        )
        self._check(admin, "add service account")
        self.create_group("Helpdesk")
        admin.search(SERVICE_DN, "(objectClass=*)", search_scope=BASE, attributes=["objectSid"])
        sid = format_sid(admin.response[0]["raw_attributes"]["objectSid"][0])
        # The rights a helpdesk delegation gives: Reset Password, and write
        # lockoutTime and pwdLastSet, on the users in OU=Staff.
        aces = "".join(
            f"(OA;CIIO;{rights};{guid};{_USER_CLASS};{sid})"
            for rights, guid in (
                ("CR", _RESET_PASSWORD_RIGHT),
                ("RPWP", _LOCKOUT_TIME),
                ("RPWP", _PWD_LAST_SET),
            )
        )
        self._tool("dsacl", "set", "-H", self._sam_ldb, f"--objectdn={STAFF_OU}", f"--sddl={aces}")

    @property
    def _sam_ldb(self) -> str:
        return str(self.root / "private" / "sam.ldb")

    def _tool(self, *args: str) -> str:
        result = subprocess.run(
            ["samba-tool", *args], capture_output=True, text=True, timeout=180, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"samba-tool {args[0]} {args[1]} failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
        return result.stdout

    @staticmethod
    def _check(conn: Connection, what: str) -> None:
        if conn.result["result"] != 0:
            raise RuntimeError(f"{what}: {conn.result['description']} {conn.result['message']}")

    # --- helpers for tests -------------------------------------------------------
    def _connection(self, user: str | None, password: str | None) -> Connection:
        from identity.directory.ad_connection import PortalTls

        # Samba's self-made certificate fails Python 3.13's strict checks.
        tls = PortalTls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=self.ca_file,
            valid_names=[SERVER_NAME],
            strict=False,
        )
        server = Server(self.address, port=636, use_ssl=True, tls=tls, get_info=NONE)
        return Connection(
            server, user=user, password=password, raise_exceptions=False, auto_referrals=False
        )

    def ldap_admin(self) -> Connection:
        """A new ldap3 connection bound as Administrator (for test assertions)."""
        conn = self._connection(ADMIN_DN, ADMIN_PASSWORD)
        if not conn.bind():
            raise RuntimeError(f"Administrator bind failed: {conn.result}")
        return conn

    def _admin(self) -> Connection:
        if self._admin_conn is None or self._admin_conn.closed:
            self._admin_conn = self.ldap_admin()
        return self._admin_conn

    def _drop_admin(self) -> None:
        if self._admin_conn is not None:
            with contextlib.suppress(Exception):
                self._admin_conn.unbind()
            self._admin_conn = None

    def unique(self, prefix: str = "user") -> str:
        """A sAMAccountName no other test uses (at most 20 characters)."""
        return f"{prefix[:14]}{next(self._names):04d}"

    def create_group(self, name: str, *, ou: str = STAFF_OU) -> str:
        dn = f"CN={escape_rdn(name)},{ou}"
        admin = self._admin()
        # A group's sAMAccountName may not hold , " / \\ [ ] : ; | = + * ? < > @
        account_name = re.sub(r'[,"/\\\[\]:;|=+*?<>@]', "", name)[:20]
        admin.add(dn, ["top", "group"], {"sAMAccountName": account_name})
        self._check(admin, f"add group {name}")
        return dn

    def create_user(
        self,
        username: str,
        password: str,
        *,
        display_name: str = "",
        given_name: str = "",
        mail: str = "",
        mobile: str = "",
        employee_number: str = "",
        groups: tuple[str, ...] | list[str] = (),
        disabled: bool = False,
        must_change: bool = False,
        ou: str = STAFF_OU,
    ) -> dict:
        """Create a user in OU=Staff: returns dn, guid, username, upn, password."""
        dn = f"CN={escape_rdn(username)},{ou}"
        upn = f"{username}@test.local"
        attributes = {
            "sAMAccountName": username,
            "userPrincipalName": upn,
            "unicodePwd": _encode_password(password),
            "userAccountControl": 0x200 | (0x2 if disabled else 0),
        }
        optional = {
            "displayName": display_name,
            "givenName": given_name,
            "mail": mail,
            "mobile": mobile,
            "employeeNumber": employee_number,
        }
        attributes.update({k: v for k, v in optional.items() if v})
        admin = self._admin()
        admin.add(dn, ["top", "person", "organizationalPerson", "user"], attributes)
        self._check(admin, f"add user {username}")
        for group in groups:
            admin.modify(f"CN={escape_rdn(group)},{STAFF_OU}", {"member": [(MODIFY_ADD, [dn])]})
            self._check(admin, f"add {username} to {group}")
        if must_change:
            admin.modify(dn, {"pwdLastSet": [(MODIFY_REPLACE, [0])]})
            self._check(admin, f"must-change {username}")
        admin.search(dn, "(objectClass=*)", search_scope=BASE, attributes=["objectGUID"])
        guid = str(uuid.UUID(bytes_le=admin.response[0]["raw_attributes"]["objectGUID"][0]))
        return {"dn": dn, "guid": guid, "username": username, "upn": upn, "password": password}

    def read(self, dn: str, *attributes: str) -> dict:
        """Raw attribute values of ``dn``, read as Administrator."""
        admin = self._admin()
        admin.search(dn, "(objectClass=*)", search_scope=BASE, attributes=list(attributes))
        self._check(admin, f"read {dn}")
        return dict(admin.response[0]["raw_attributes"])

    def set_password_last_set(self, dn: str, when) -> None:
        """Set the user's pwdLastSet to ``when`` (an aware datetime), to make
        a password old. Over LDAP AD and Samba accept only 0 and -1 ("pwdLastSet
        must be 0 or -1 only", also as Administrator and with Samba's bypass
        control), so the value is written straight into the domain
        partition's tdb, below Samba's modules; the running DC reads it at once."""
        ticks = int((when.timestamp() + 11_644_473_600) * 10_000_000)
        partition = self.root / "private" / "sam.ldb.d" / f"{BASE_DN.upper()}.ldb"
        ldif = f"dn: {dn}\nchangetype: modify\nreplace: pwdLastSet\npwdLastSet: {ticks}\n"
        result = subprocess.run(
            ["ldbmodify", "-H", f"tdb://{partition}"],
            input=ldif,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"ldbmodify pwdLastSet failed: {result.stdout}{result.stderr}")

    def set_account_control(self, dn: str, flags: int) -> None:
        """Replace userAccountControl (e.g. 0x200 | 0x10000: never expires)."""
        admin = self._admin()
        admin.modify(dn, {"userAccountControl": [(MODIFY_REPLACE, [str(flags)])]})
        self._check(admin, f"userAccountControl of {dn}")

    def create_pso(self, name: str, *, max_pwd_age_days: int, applies_to: str) -> str:
        """A fine-grained password policy (PSO) with its own maximum age,
        applied to one user (sAMAccountName); returns its DN."""
        self._tool(
            "domain", "passwordsettings", "pso", "create", name, "1",
            f"--max-pwd-age={max_pwd_age_days}", "-H", self._sam_ldb,
        )  # fmt: skip
        self._tool(
            "domain", "passwordsettings", "pso", "apply", name, applies_to, "-H", self._sam_ldb
        )
        return f"CN={name},CN=Password Settings Container,CN=System,{BASE_DN}"

    def set_policy(self, **settings) -> None:
        """``samba-tool domain passwordsettings set`` (live, no restart):
        ``min_pwd_length=8``, ``complexity=False``, ``history_length=0``, ..."""
        args = []
        for key, value in settings.items():
            if isinstance(value, bool):
                value = "on" if value else "off"
            args.append(f"--{key.replace('_', '-')}={value}")
        self._tool("domain", "passwordsettings", "set", "-H", self._sam_ldb, *args)

    @contextlib.contextmanager
    def policy(self, **settings):
        """Change the domain policy for the duration of a ``with`` block."""
        self.set_policy(**settings)
        try:
            yield
        finally:
            self.set_policy(**{k: DEFAULT_POLICY[k] for k in settings})


def _samba_binary() -> str | None:
    return shutil.which("samba") or (
        "/usr/sbin/samba" if os.access("/usr/sbin/samba", os.X_OK) else None
    )


def _remove_orphans() -> None:
    """Remove the DC folders of test sessions that were killed (their samba died
    with them, see ``_die_with_parent``; the folder could not be removed)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{DIR_PREFIX}*"):
        try:
            owner = int((folder / "owner.pid").read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # not ours to judge (no owner file yet, or another user's)


def _missing_samba(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Samba AD DC tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"Samba AD DC not available: {reason}")


@pytest.fixture(scope="session")
def samba_dc():
    """A running Samba AD DC for the whole session (stopped at its end)."""
    if _samba_binary() is None or shutil.which("samba-tool") is None:
        _missing_samba("the samba / samba-tool binaries are not installed (apt: samba)")
    if os.geteuid() != 0:
        _missing_samba("a Samba AD DC must run as root")
    _remove_orphans()
    root = Path(tempfile.mkdtemp(prefix=DIR_PREFIX))
    (root / "owner.pid").write_text(str(os.getpid()))
    dc = SambaDC(root, _free_loopback_address())
    try:
        started = time.monotonic()
        dc.provision()
        _TIMINGS["provision"] = time.monotonic() - started
        dc.start()
        ready = time.monotonic()
        dc.setup_directory()
        _TIMINGS["setup"] = time.monotonic() - ready
        _TIMINGS["total"] = time.monotonic() - started
        yield dc
    finally:
        dc.stop()
        if not os.environ.get("SAMBA_KEEP_DIR"):
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def ad_directory(settings, samba_dc):
    """The ActiveDirectoryBackend, configured for ``samba_dc``."""
    samba_dc.ensure_running()
    settings.DIRECTORY_BACKEND = "identity.directory.ad.ActiveDirectoryBackend"
    settings.LDAP_URLS = [samba_dc.url]
    settings.LDAP_BIND_DN = samba_dc.bind_dn
    settings.LDAP_BIND_PASSWORD = samba_dc.bind_password
    settings.LDAP_BASE_DN = samba_dc.base_dn
    settings.LDAP_CA_FILE = samba_dc.ca_file
    settings.LDAP_TLS_VALIDATE = True
    settings.LDAP_TLS_SERVER_NAME = samba_dc.server_name
    # Samba's self-made certificate has no Authority Key Identifier, which
    # Python 3.13's strict X.509 checks require (docs/active-directory.md).
    settings.LDAP_TLS_STRICT = False
    settings.LDAP_TIMEOUT = 5
    settings.LDAP_EXTRA_ATTRIBUTES = ["employeeNumber"]
    from identity.directory import get_directory

    return get_directory()


def pytest_terminal_summary(terminalreporter):
    if "provision" not in _TIMINGS:
        return
    terminalreporter.write_sep("-", "Samba AD DC")
    terminalreporter.write_line(
        "provision {provision:.1f} s, start to LDAPS ready {start:.1f} s, "
        "OU/service account/ACL setup {setup:.1f} s, total {total:.1f} s".format(**_TIMINGS)
    )
