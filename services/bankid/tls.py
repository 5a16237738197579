"""Mutual TLS for the BankID client: our own SSLContext, mounted into requests.

The context trusts only the configured CA (never the system store or certifi)
and presents the RP certificate. requests normally adds its CA bundle to the
connection; :class:`PinnedTLSAdapter` stops that so the pin cannot be widened.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests
from django.core.exceptions import ImproperlyConfigured
from requests.adapters import BaseAdapter, HTTPAdapter

PEM_MARKER = "-----BEGIN"


def is_pem(value: str) -> bool:
    return PEM_MARKER in value


@contextlib.contextmanager
def pem_file(value: str, *, what: str) -> Iterator[str]:
    """Yield a file path for a setting that holds a path or PEM text.

    PEM text is written to a private temporary file (mode 0600, created that
    way by mkstemp) that is removed as soon as the caller is done: ssl keeps
    what it loaded in memory, so the key does not stay on disk.
    """
    if is_pem(value):
        fd, path = tempfile.mkstemp(prefix="bankid-", suffix=".pem")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(value)
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        return
    path = Path(value).expanduser()
    if not path.is_file():
        raise ImproperlyConfigured(f"{what}: no such file {str(path)!r}")
    yield str(path)


def build_ssl_context(
    *, ca: str, cert: str | None, key: str | None = None, key_password: str | None = None
) -> ssl.SSLContext:
    """A client SSLContext: TLS 1.2+, hostname check, trusts only ``ca``.

    ``ca``, ``cert`` and ``key`` are file paths or PEM text. ``cert`` may be
    None only for diagnostics (BankID refuses clients without a certificate).
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies and checks hostnames
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        if is_pem(ca):
            context.load_verify_locations(cadata=ca)
        else:
            with pem_file(ca, what="BANKID_CA") as ca_path:
                context.load_verify_locations(cafile=ca_path)
    except ssl.SSLError as exc:
        raise ImproperlyConfigured(f"BANKID_CA cannot be loaded: {exc}") from exc
    if cert:
        with contextlib.ExitStack() as stack:
            cert_path = stack.enter_context(pem_file(cert, what="BANKID_CERT"))
            key_path = stack.enter_context(pem_file(key, what="BANKID_KEY")) if key else None
            try:
                context.load_cert_chain(cert_path, key_path, password=key_password or None)
            except (ssl.SSLError, OSError) as exc:
                # The message names no secret, only what is wrong.
                raise ImproperlyConfigured(
                    f"BANKID_CERT/BANKID_KEY cannot be loaded: {exc}"
                ) from exc
    return context


class PinnedTLSAdapter(HTTPAdapter):
    """An HTTPAdapter whose every HTTPS connection uses one given SSLContext."""

    def __init__(self, ssl_context: ssl.SSLContext, **kwargs: Any) -> None:
        self._ssl_context = ssl_context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def build_connection_pool_key_attributes(
        self, request: Any, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, _ignored = super().build_connection_pool_key_attributes(request, verify, cert)
        return host_params, {"ssl_context": self._ssl_context}

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # requests would point the pool at its CA bundle, and urllib3 would
        # then load that bundle into our context. Trust comes from the context only.
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None
        conn.cert_file = None
        conn.key_file = None


class _RefuseAdapter(BaseAdapter):
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        raise requests.exceptions.InvalidURL("BankID requests must use https")

    def close(self) -> None:
        pass


def make_session(
    context: ssl.SSLContext, *, proxy: str, pool_size: int, content_type: str
) -> requests.Session:
    """A requests Session that speaks HTTPS only, through ``context``, pooled."""
    session = requests.Session()
    # Environment proxies, netrc and REQUESTS_CA_BUNDLE must not change where we
    # connect or whom we trust.
    session.trust_env = False
    if proxy:
        session.proxies = {"https": proxy}
    session.headers.update(
        {"Content-Type": content_type, "Accept": "application/json", "User-Agent": "portal-bankid"}
    )
    adapter = PinnedTLSAdapter(context, pool_connections=2, pool_maxsize=pool_size, max_retries=0)
    session.mount("https://", adapter)
    # Nothing may go out in clear text, whatever a redirect says.
    session.mount("http://", _RefuseAdapter())
    session.max_redirects = 0
    return session


def caused_by_tls(exc: BaseException) -> bool:
    """True when an exception from requests comes from a TLS failure."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLError | requests.exceptions.SSLError):
            return True
        pending.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        for linked in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)
    return False


def tls_reason(exc: BaseException) -> str:
    """A short, secret-free reason for a TLS failure, for logs and errors."""
    text = str(exc).lower()
    for marker in ("certificate_verify_failed", "certificate required", "unknown ca", "bad cert"):
        if marker in text:
            return marker
    return type(exc).__name__
