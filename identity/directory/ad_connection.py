"""Connections to the domain controllers: TLS, failover and the service account.

``Connector.open()`` tries ``LDAP_URLS`` in order and returns the first
TLS-protected connection. Reaching a server, TCP and the TLS handshake
together, is bounded by ``LDAP_CONNECT_TIMEOUT`` (a DC that accepts TCP and
never answers must not cost the longer ``LDAP_TIMEOUT``); a server that failed
is tried last for ``LDAP_SERVER_BACKOFF_SECONDS``, by every process: the mark
is kept in the cache they share. ``ServiceConnection`` keeps one bound service-account
connection for the whole process, serialised by a lock, and reconnects (to the
next server if need be) when the connection drops: AD closes idle connections
after 15 minutes, and a DC can restart.
"""

from __future__ import annotations

import logging
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from ldap3 import NONE, SIMPLE, SYNC, Connection, Server, Tls
from ldap3.core.exceptions import (
    LDAPCertificateError,
    LDAPCommunicationError,
    LDAPException,
    LDAPResponseTimeoutError,
    LDAPStartTLSError,
)

from .base import DirectoryError, DirectoryUnavailable

try:
    from ldap3.core.tls import check_hostname as _ldap3_check_hostname
except ImportError:  # pragma: no cover - ldap3 without it
    _ldap3_check_hostname = None

logger = logging.getLogger("identity.directory.ad")

T = TypeVar("T")

#: How long a server that failed is tried only after the others (default of
#: LDAP_SERVER_BACKOFF_SECONDS).
SERVER_RETRY_AFTER_SECONDS = 30
#: Errors that mean the connection is gone (closed, reset, timed out).
CONNECTION_LOST = (LDAPCommunicationError, LDAPResponseTimeoutError, LDAPStartTLSError, OSError)


@dataclass(frozen=True)
class AdConfig:
    urls: list[str]
    bind_dn: str
    bind_password: str
    base_dn: str
    user_filter: str = "(&(objectCategory=person)(objectClass=user))"
    ca_file: str = ""
    tls_validate: bool = True
    tls_server_name: str = ""
    tls_strict: bool = True
    timeout: int = 5
    # Whole seconds: ldap3 packs its receive timeout as an integer.
    connect_timeout: int = 3
    backoff_seconds: int = SERVER_RETRY_AFTER_SECONDS
    extra_attributes: list[str] = field(default_factory=list)

    @classmethod
    def from_settings(cls) -> AdConfig:
        timeout = int(settings.LDAP_TIMEOUT)
        return cls(
            urls=[u for u in settings.LDAP_URLS if u],
            bind_dn=settings.LDAP_BIND_DN,
            bind_password=settings.LDAP_BIND_PASSWORD,
            base_dn=settings.LDAP_BASE_DN,
            user_filter=settings.LDAP_USER_FILTER,
            ca_file=settings.LDAP_CA_FILE,
            tls_validate=settings.LDAP_TLS_VALIDATE,
            tls_server_name=settings.LDAP_TLS_SERVER_NAME,
            tls_strict=bool(getattr(settings, "LDAP_TLS_STRICT", True)),
            timeout=timeout,
            connect_timeout=int(getattr(settings, "LDAP_CONNECT_TIMEOUT", min(3, timeout))),
            backoff_seconds=int(
                getattr(settings, "LDAP_SERVER_BACKOFF_SECONDS", SERVER_RETRY_AFTER_SECONDS)
            ),
            extra_attributes=list(settings.LDAP_EXTRA_ATTRIBUTES),
        )


_VERIFY_DETAIL = re.compile(r"certificate verify failed: ([^(']+)")
_CERT_NAME = re.compile(r"'commonName', '([^']+)'")
_WANTED_NAMES = re.compile(r"doesn't match any name in (\[[^\]]*\])")


def _tls_reason(exc: BaseException) -> str:
    """Why a connection failed, in words an administrator can act on.

    ldap3 flattens the ssl error into its own exception's text, so the text is
    what there is to read (for this log line only; callers get the error type).
    """
    text = str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
        detail = _VERIFY_DETAIL.search(text)
        if "Authority Key Identifier" in text or "Basic Constraints" in text:
            return (
                f"TLS certificate not accepted by Python's strict X.509 checks "
                f"({detail.group(1).strip() if detail else text}): the DC's certificate "
                "misses an extension (Samba's self-made one does); give the DC a "
                "certificate from your CA, or set LDAP_TLS_STRICT=false"
            )
        return (
            f"TLS certificate not trusted ({detail.group(1).strip() if detail else text}): "
            "check that LDAP_CA_FILE holds the CA that signed the DC's certificate"
        )
    wanted = _WANTED_NAMES.search(text)
    if isinstance(exc, LDAPCertificateError) or wanted:
        cert_name = _CERT_NAME.search(text)
        return (
            f"TLS certificate name mismatch (the certificate is for "
            f"{cert_name.group(1) if cert_name else '?'}, expected "
            f"{wanted.group(1) if wanted else '?'}): set LDAP_TLS_SERVER_NAME to the "
            "certificate's name when connecting by IP address"
        )
    return text


class PortalTls(Tls):
    """ldap3's Tls, with Python's strict X.509 checks (on by default from
    Python 3.13: VERIFY_X509_STRICT) that ``LDAP_TLS_STRICT=false`` turns off.
    The chain and the name are checked either way; the strict checks also
    want extensions (Authority Key Identifier) that Samba's self-made
    certificate lacks."""

    def __init__(self, *args, strict: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strict = strict

    def wrap_socket(self, connection, do_handshake=False):
        if self.strict or not hasattr(ssl, "VERIFY_X509_STRICT") or self.version is not None:
            return super().wrap_socket(connection, do_handshake)
        context = ssl.create_default_context(
            ssl.Purpose.SERVER_AUTH,
            cafile=self.ca_certs_file,
            capath=self.ca_certs_path,
            cadata=self.ca_certs_data,
        )
        context.verify_flags &= ~ssl.VERIFY_X509_STRICT
        if self.certificate_file:
            context.load_cert_chain(
                self.certificate_file,
                keyfile=self.private_key_file,
                password=self.private_key_password,
            )
        context.check_hostname = False  # ldap3 checks the name itself, below
        context.verify_mode = self.validate
        wrapped = context.wrap_socket(
            connection.socket,
            server_side=False,
            do_handshake_on_connect=do_handshake,
            server_hostname=self.sni or None,
        )
        if do_handshake and self.validate in (ssl.CERT_REQUIRED, ssl.CERT_OPTIONAL):
            _ldap3_check_hostname(wrapped, connection.server.host, self.valid_names)
        connection.socket = wrapped


class Connector:
    """Opens TLS connections to the first server that answers, in ``urls`` order."""

    def __init__(self, config: AdConfig) -> None:
        if not config.urls:
            raise DirectoryError(detail="LDAP_URLS is empty")
        self.config = config
        self._tls = self._make_tls(config)
        for url in config.urls:
            self._make_server(url)  # a malformed URL fails at start, not at first login
        self._failed_at: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _make_tls(config: AdConfig) -> Tls:
        if not config.tls_validate:
            logger.warning("LDAP_TLS_VALIDATE is off: the DC's certificate is not checked")
            return Tls(validate=ssl.CERT_NONE)
        return PortalTls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=config.ca_file or None,
            valid_names=[config.tls_server_name] if config.tls_server_name else None,
            sni=config.tls_server_name or None,
            strict=config.tls_strict,
        )

    def _make_server(self, url: str) -> Server:
        parts = urlsplit(url)
        if parts.scheme not in ("ldaps", "ldap") or not parts.hostname:
            raise DirectoryError(detail=f"LDAP_URLS: not an ldaps:// or ldap:// URL: {url!r}")
        use_ssl = parts.scheme == "ldaps"
        return Server(
            parts.hostname,
            port=parts.port or (636 if use_ssl else 389),
            use_ssl=use_ssl,
            tls=self._tls,
            get_info=NONE,
            connect_timeout=self.config.connect_timeout,
        )

    @staticmethod
    def _cache_key(url: str) -> str:
        return f"ldap-server-down:{url}"

    def _recently_failed(self) -> set[str]:
        now = time.monotonic()
        with self._lock:
            recent = {
                url
                for url, failed_at in self._failed_at.items()
                if now - failed_at < self.config.backoff_seconds
            }
        try:
            shared = cache.get_many([self._cache_key(u) for u in self.config.urls])
        except Exception as exc:  # noqa: BLE001 - the cache is a help, not a need
            logger.info("cannot read the LDAP server back-off from the cache: %r", exc)
            shared = {}
        return recent | {u for u in self.config.urls if self._cache_key(u) in shared}

    def _mark_failed(self, url: str) -> None:
        with self._lock:
            self._failed_at[url] = time.monotonic()
        try:
            cache.set(self._cache_key(url), 1, timeout=max(1, int(self.config.backoff_seconds)))
        except Exception as exc:  # noqa: BLE001 - the cache is a help, not a need
            logger.info("cannot share the LDAP server back-off through the cache: %r", exc)

    def _mark_answered(self, url: str) -> None:
        with self._lock:
            had_failed = self._failed_at.pop(url, None) is not None
        if had_failed:
            try:
                cache.delete(self._cache_key(url))
            except Exception:  # noqa: BLE001, S110 - it expires by itself
                pass

    def _ordered(self) -> list[str]:
        """URLs in configured order, the recently failed ones (by any process) last."""
        recent = self._recently_failed()
        urls = self.config.urls
        return [u for u in urls if u not in recent] + [u for u in urls if u in recent]

    def open(self, user: str | None = None, password: str | None = None) -> Connection:
        """An open, TLS-protected (not yet bound) connection to the first server
        that answers. Raises DirectoryUnavailable when none does."""
        reasons = []
        for url in self._ordered():
            # A new Server each time: ldap3's Server remembers a refused address
            # and will not try it again for a while, which would defeat a retry.
            server = self._make_server(url)
            conn = Connection(
                server,
                user=user,
                password=password,
                authentication=SIMPLE,
                client_strategy=SYNC,
                auto_bind=False,
                auto_referrals=False,
                raise_exceptions=False,
                # ldap3 waits this long for the TLS handshake too: reaching the
                # server is bounded by the connect timeout, the replies after
                # it by LDAP_TIMEOUT (set below).
                receive_timeout=self.config.connect_timeout,
                read_only=False,
            )
            try:
                conn.open()
                if not server.ssl and not conn.start_tls():
                    raise LDAPStartTLSError(f"StartTLS refused: {conn.result}")
                _set_receive_timeout(conn, self.config.timeout)
            except (LDAPException, OSError) as exc:
                reason = _tls_reason(exc)
                logger.warning("LDAP server %s refused the connection: %s", url, reason)
                reasons.append(f"{url}: {reason}")
                self._mark_failed(url)
                close_quietly(conn)
                continue
            self._mark_answered(url)
            return conn
        raise DirectoryUnavailable(detail="; ".join(reasons) or "no LDAP server configured")


def _set_receive_timeout(conn: Connection, seconds: float) -> None:
    """The timeout for replies on an open connection (as ldap3 sets it at open)."""
    conn.receive_timeout = seconds
    conn.socket.settimeout(seconds)


def close_quietly(conn: Connection | None) -> None:
    if conn is None:
        return
    try:
        conn.unbind()
    except (LDAPException, OSError):
        pass  # already gone: nothing left to release


class ServiceConnection:
    """One bound service-account connection per process, shared under a lock."""

    def __init__(self, connector: Connector, bind_dn: str, bind_password: str) -> None:
        self._connector = connector
        self._bind_dn = bind_dn
        self._bind_password = bind_password
        self._conn: Connection | None = None
        self._lock = threading.RLock()

    def _connect(self) -> Connection:
        if not self._bind_dn or not self._bind_password:
            raise DirectoryUnavailable(detail="LDAP_BIND_DN / LDAP_BIND_PASSWORD are not set")
        conn = self._connector.open(self._bind_dn, self._bind_password)
        try:
            bound = conn.bind()
        except CONNECTION_LOST as exc:
            close_quietly(conn)
            raise DirectoryUnavailable(detail=f"service bind: {exc}") from exc
        if not bound:
            result = conn.result
            close_quietly(conn)
            logger.error(
                "The service account %s could not bind: %s %s",
                self._bind_dn,
                result.get("description"),
                result.get("message"),
            )
            raise DirectoryUnavailable(
                detail=f"service account bind refused: {result.get('message')}"
            )
        return conn

    def _discard(self) -> None:
        close_quietly(self._conn)
        self._conn = None

    def run(self, operation: Callable[[Connection], T], *, idempotent: bool = True) -> T:
        """Run ``operation`` on the service connection, (re)connecting as needed.

        An idempotent operation is retried once on a fresh connection if the old
        one turns out to be dead. A write is not retried (it may have been
        applied): the connection is probed first instead.
        """
        with self._lock:
            if not idempotent and self._conn is not None:
                self.run(_probe)
            attempts = 2 if idempotent else 1
            while True:
                attempts -= 1
                if self._conn is None or self._conn.closed:
                    self._conn = self._connect()
                try:
                    return operation(self._conn)
                except CONNECTION_LOST as exc:
                    self._discard()
                    if not attempts:
                        raise DirectoryUnavailable(detail=f"connection lost: {exc}") from exc
                    logger.info("LDAP service connection lost (%s); reconnecting", exc)

    def close(self) -> None:
        with self._lock:
            self._discard()


def _probe(conn: Connection) -> None:
    if not conn.search("", "(objectClass=*)", search_scope="BASE", attributes=["1.1"]):
        raise LDAPCommunicationError(f"root DSE search failed: {conn.result}")
