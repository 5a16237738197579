"""Our client for the BankID Relying Party API v6.0 (mutual TLS, JSON over POST).

One instance per process (``get_bankid_backend()``): it keeps a pool of
kept-alive TLS connections, and it is safe to share between threads.

Never log personal numbers, ``qrStartSecret`` or completion data: this module
logs the path, the HTTP status, the orderRef and the errorCode only.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from django.core.exceptions import ImproperlyConfigured

from . import conf
from .errors import (
    BankIDInvalidResponse,
    BankIDTimeout,
    BankIDTLSError,
    BankIDTransportError,
    error_for_response,
)
from .payloads import AppInfo, WebInfo, order_body, phone_body
from .responses import (
    CollectResult,
    OrderStarted,
    PhoneOrderStarted,
    parse_collect,
    parse_order_started,
    parse_phone_order_started,
)
from .tls import build_ssl_context, caused_by_tls, make_session, tls_reason

logger = logging.getLogger(__name__)

# BankID answers 415 to "application/json; charset=UTF-8": send exactly this.
CONTENT_TYPE = "application/json"


class BankIDClient:
    """The BankID RP API v6.0 client; the default ``BANKID_BACKEND``.

    Every argument defaults to the matching ``BANKID_*`` setting (see
    ``services.bankid.conf``). Raises ImproperlyConfigured at construction
    when the URL is not HTTPS or the certificates cannot be loaded.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        cert: str | None = None,
        key: str | None = None,
        key_password: str | None = None,
        ca: str | None = None,
        timeout: float | tuple[float, float] | str | None = None,
        proxy: str | None = None,
        pool_size: int | None = None,
    ) -> None:
        base = url if url is not None else conf.get_str("BANKID_URL")
        if not base.lower().startswith("https://"):
            raise ImproperlyConfigured(
                "BANKID_URL must be an https:// URL (BankID uses mutual TLS)."
            )
        self.base_url = base.rstrip("/") + "/"
        cert = cert if cert is not None else conf.get_str("BANKID_CERT")
        if not cert:
            raise ImproperlyConfigured("BANKID_CERT must be set to the RP certificate.")
        ca = ca if ca is not None else conf.get_str("BANKID_CA")
        self.ssl_context = build_ssl_context(
            ca=ca or conf.default_ca_for(self.base_url),
            cert=cert,
            key=key if key is not None else conf.get_str("BANKID_KEY"),
            key_password=(
                key_password if key_password is not None else conf.get_str("BANKID_KEY_PASSWORD")
            ),
        )
        self.timeout = conf.parse_timeout(
            timeout if timeout is not None else conf.get("BANKID_TIMEOUT")
        )
        size = int(pool_size if pool_size is not None else conf.get("BANKID_POOL_SIZE"))
        self._session = make_session(
            self.ssl_context,
            proxy=proxy if proxy is not None else conf.get_str("BANKID_PROXY"),
            pool_size=size,
            content_type=CONTENT_TYPE,
        )

    # -- orders ---------------------------------------------------------------

    def auth(
        self,
        end_user_ip: str,
        *,
        personal_number: str | None = None,
        user_visible_data: str | None = None,
        user_visible_data_format: str | None = None,
        user_non_visible_data: bytes | None = None,
        return_url: str | None = None,
        return_risk: bool | None = None,
        web: WebInfo | Mapping[str, str] | None = None,
        app: AppInfo | Mapping[str, str] | None = None,
        pin_code: bool | None = None,
        mrtd: bool | None = None,
        card_reader: str | None = None,
        certificate_policies: list[str] | None = None,
    ) -> OrderStarted:
        """Start an identification (``/auth``).

        ``end_user_ip``: the user's IP as the portal sees it. ``personal_number``
        (12 digits) goes into ``requirement``: only that person can complete the
        order. ``user_visible_data`` is plain text (the client base64-encodes
        it); ``user_visible_data_format="simpleMarkdownV1"`` enables markdown.
        ``return_url`` is opened by the app after an autostart order;
        ``return_risk`` asks for ``completion.risk``. ``pin_code``, ``mrtd``,
        ``card_reader`` and ``certificate_policies`` go into ``requirement``.
        """
        body = order_body(
            end_user_ip,
            personal_number=personal_number,
            user_visible_data=user_visible_data,
            user_visible_data_format=user_visible_data_format,
            user_non_visible_data=user_non_visible_data,
            return_url=return_url,
            return_risk=return_risk,
            web=web,
            app=app,
            pin_code=pin_code,
            mrtd=mrtd,
            card_reader=card_reader,
            certificate_policies=certificate_policies,
        )
        return parse_order_started(self._post("auth", body), time.time())

    def sign(self, end_user_ip: str, user_visible_data: str, **options: Any) -> OrderStarted:
        """Start a signature (``/sign``) of ``user_visible_data`` (plain text).

        ``options`` are the keyword arguments of :meth:`auth`.
        """
        if not user_visible_data:
            raise ValueError("sign needs user_visible_data")
        body = order_body(end_user_ip, user_visible_data=user_visible_data, **options)
        return parse_order_started(self._post("sign", body), time.time())

    def phone_auth(
        self,
        personal_number: str,
        call_initiator: str,
        *,
        user_visible_data: str | None = None,
        user_visible_data_format: str | None = None,
        user_non_visible_data: bytes | None = None,
        pin_code: bool | None = None,
        certificate_policies: list[str] | None = None,
    ) -> PhoneOrderStarted:
        """Identify a person we are on the phone with (``/phone/auth``).

        ``call_initiator`` is ``"user"`` (they called us) or ``"RP"`` (we
        called them). There is no QR code and no autostart.
        """
        body = phone_body(
            personal_number,
            call_initiator,
            user_visible_data=user_visible_data,
            user_visible_data_format=user_visible_data_format,
            user_non_visible_data=user_non_visible_data,
            pin_code=pin_code,
            certificate_policies=certificate_policies,
        )
        return parse_phone_order_started(self._post("phone/auth", body), time.time())

    def phone_sign(
        self, personal_number: str, call_initiator: str, user_visible_data: str, **options: Any
    ) -> PhoneOrderStarted:
        """Sign with a person we are on the phone with (``/phone/sign``).

        ``options`` are the keyword arguments of :meth:`phone_auth`.
        """
        if not user_visible_data:
            raise ValueError("phone_sign needs user_visible_data")
        body = phone_body(
            personal_number, call_initiator, user_visible_data=user_visible_data, **options
        )
        return parse_phone_order_started(self._post("phone/sign", body), time.time())

    def collect(self, order_ref: str) -> CollectResult:
        """The order's state. Call every 2 s while pending; stop at failed/complete."""
        return parse_collect(self._post("collect", {"orderRef": order_ref}, lean=True))

    def cancel(self, order_ref: str) -> None:
        """Cancel a pending order. Cancelling twice raises InvalidParametersError."""
        self._post("cancel", {"orderRef": order_ref})

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def __enter__(self) -> BankIDClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transport --------------------------------------------------------------

    def _lean_pool(self):
        """The session's own urllib3 pool for BankID's host (same connections,
        same pinned TLS context), or None behind a proxy."""
        if self._session.proxies:
            return None
        pool = getattr(self, "_pool", None)
        if pool is None:
            parts = urlsplit(self.base_url)
            adapter = self._session.get_adapter(self.base_url)
            pool = adapter.poolmanager.connection_from_host(
                parts.hostname,
                parts.port or 443,
                "https",
                pool_kwargs={"ssl_context": self.ssl_context},
            )
            self._pool, self._lean_headers = pool, dict(self._session.headers)
            self._lean_timeout = urllib3.Timeout(connect=self.timeout[0], read=self.timeout[1])
        return pool

    def _post_lean(self, path: str, data: bytes) -> tuple[int, bytes, Any]:
        """A POST straight through urllib3: the collect, every 2 s per order,
        skips requests' per-request work (a third of a collect's CPU)."""
        pool = self._lean_pool()
        try:
            response = pool.urlopen(
                "POST",
                urlsplit(self.base_url).path + path,
                body=data,
                headers=self._lean_headers,
                timeout=self._lean_timeout,
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.TimeoutError as exc:
            logger.warning("BankID %s: timeout (%s)", path, type(exc).__name__)
            raise BankIDTimeout(f"{path}: {type(exc).__name__}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if caused_by_tls(exc) or isinstance(exc, urllib3.exceptions.SSLError):
                logger.warning("BankID %s: TLS failure: %s", path, tls_reason(exc))
                raise BankIDTLSError(f"{path}: TLS failure: {tls_reason(exc)}") from exc
            logger.warning("BankID %s: %s", path, type(exc).__name__)
            raise BankIDTransportError(f"{path}: {type(exc).__name__}") from exc
        return response.status, response.data, response.headers

    def _post(self, path: str, payload: dict[str, Any], *, lean: bool = False) -> dict[str, Any]:
        url = self.base_url + path
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        started = time.monotonic()
        if lean and not self._session.proxies:
            status, content, headers = self._post_lean(path, data)
            return self._answer(path, payload, status, content, headers, started)
        try:
            response = self._session.post(
                url, data=data, timeout=self.timeout, allow_redirects=False
            )
        except requests.exceptions.Timeout as exc:
            logger.warning("BankID %s: timeout (%s)", path, type(exc).__name__)
            raise BankIDTimeout(f"{path}: {type(exc).__name__}") from exc
        except requests.exceptions.RequestException as exc:
            if caused_by_tls(exc):
                logger.warning("BankID %s: TLS failure: %s", path, tls_reason(exc))
                raise BankIDTLSError(f"{path}: TLS failure: {tls_reason(exc)}") from exc
            logger.warning("BankID %s: %s", path, type(exc).__name__)
            raise BankIDTransportError(f"{path}: {type(exc).__name__}") from exc
        return self._answer(
            path, payload, response.status_code, response.content, response.headers, started
        )

    def _answer(
        self, path: str, payload: dict, status: int, content: bytes, headers: Any, started: float
    ) -> dict[str, Any]:
        elapsed_ms = (time.monotonic() - started) * 1000
        body = _json_object(content)
        if status == 200:
            if body is None:
                raise BankIDInvalidResponse(f"{path}: HTTP 200 without a JSON object")
            logger.debug("BankID %s 200 %s %.0f ms", path, payload.get("orderRef", ""), elapsed_ms)
            return body
        error_code = body.get("errorCode") if body else None
        details = body.get("details") if body else ""
        error = error_for_response(
            status,
            error_code if isinstance(error_code, str) else None,
            details if isinstance(details, str) else "",
            retry_after=_retry_after(headers),
        )
        logger.warning("BankID %s HTTP %s %s %s", path, status, error.error_code, error.details)
        raise error


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(content.decode("utf-8")) if content else None
    except (UnicodeDecodeError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def _retry_after(headers: Any) -> float | None:
    for header in ("RateLimit-Reset", "Retry-After"):
        value = headers.get(header)
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                continue
    return None
