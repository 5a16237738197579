"""Typed errors of the BankID RP API v6 client.

Every error is a :class:`BankIDError` with:

- ``error_code``: BankID's ``errorCode`` (``transport`` for network trouble),
- ``details``: BankID's ``details`` text (personal numbers redacted),
- ``http_status``: the HTTP status, None for transport errors,
- ``permanent``: True when sending the same request again cannot succeed
  (a bug or a configuration problem); False when a later attempt may work,
- ``auto_retry``: True when a task may retry by itself without telling the
  user (maintenance, rate limit, network); requestTimeout and internalError
  are not permanent but BankID says not to retry them automatically: show the
  message and let the user start again,
- ``rfa``: the message code for the user (see ``messages.user_message``),
- ``retry_after``: seconds to wait, when the server said so (429).
"""

from __future__ import annotations

import re

from .messages import error_message

# 10/12-digit personal numbers, with or without separator, to keep them out of
# error texts and logs.
_PNR_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d{8}|\d{6})[-+]?\d{4}(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """Replace anything that looks like a personal number with ``<pnr>``."""
    return _PNR_LIKE.sub("<pnr>", text)


class BankIDError(Exception):
    """Base class of every error the BankID client raises."""

    error_code: str = "unknown"
    permanent: bool = True
    auto_retry: bool = False

    def __init__(
        self,
        details: str = "",
        *,
        http_status: int | None = None,
        error_code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.details = redact(details or "")
        self.http_status = http_status
        if error_code is not None:
            self.error_code = error_code
        self.retry_after = retry_after
        super().__init__(self._text())

    @property
    def rfa(self) -> str:
        """The message code to show the user (RFA4, RFA5 or RFA22)."""
        return error_message(self.error_code)

    def _text(self) -> str:
        status = f" (HTTP {self.http_status})" if self.http_status is not None else ""
        details = f": {self.details}" if self.details else ""
        return f"BankID {self.error_code}{status}{details}"


class AlreadyInProgressError(BankIDError):
    """An order for this personal number was running; both orders are now over.
    Show RFA4 and let the user start again."""

    error_code = "alreadyInProgress"
    permanent = False


class InvalidParametersError(BankIDError):
    """Bad request, or an unknown, stale, already collected or cancelled orderRef."""

    error_code = "invalidParameters"


class UnauthorizedError(BankIDError):
    """The RP certificate is not accepted (HTTP 401/403)."""

    error_code = "unauthorized"


class NotFoundError(BankIDError):
    """Wrong URL (check BANKID_URL)."""

    error_code = "notFound"


class MethodNotAllowedError(BankIDError):
    """Only POST is allowed."""

    error_code = "methodNotAllowed"


class RequestTimeoutError(BankIDError):
    """BankID timed out reading the request. Do not retry automatically; show RFA5."""

    error_code = "requestTimeout"
    permanent = False


class UnsupportedMediaTypeError(BankIDError):
    """Wrong Content-Type (it must be exactly application/json)."""

    error_code = "unsupportedMediaType"


class TooManyRequestsError(BankIDError):
    """Rate limited; ``retry_after`` says when to try again."""

    error_code = "tooManyRequests"
    permanent = False
    auto_retry = True


class InternalError(BankIDError):
    """An error inside BankID. Do not retry automatically; show RFA5."""

    error_code = "internalError"
    permanent = False


class MaintenanceError(BankIDError):
    """BankID is down for maintenance: retry quietly; if it persists, show RFA5."""

    error_code = "maintenance"
    permanent = False
    auto_retry = True


class UnknownBankIDError(BankIDError):
    """An errorCode this client does not know (BankID may add codes without notice).

    Permanent for HTTP 4xx, not for 5xx.
    """

    error_code = "unknown"

    def __init__(self, details: str = "", *, http_status: int | None = None, **kwargs) -> None:
        super().__init__(details, http_status=http_status, **kwargs)
        self.permanent = http_status is None or http_status < 500


class BankIDTransportError(BankIDError):
    """The request did not get a usable answer: connection refused or reset, DNS,
    timeout, TLS failure, or a response that is not BankID's JSON. A later
    attempt may work."""

    error_code = "transport"
    permanent = False
    auto_retry = True


class BankIDTimeout(BankIDTransportError):
    """Connect or read timeout. After a read timeout the order may exist anyway."""


class BankIDTLSError(BankIDTransportError):
    """The TLS handshake failed: the server certificate did not verify against the
    configured CA, or the server refused our client certificate."""


class BankIDInvalidResponse(BankIDTransportError):
    """The server answered, but not with the JSON that RP API v6 specifies."""


ERRORS_BY_CODE: dict[str, type[BankIDError]] = {
    cls.error_code: cls
    for cls in (
        AlreadyInProgressError,
        InvalidParametersError,
        UnauthorizedError,
        NotFoundError,
        MethodNotAllowedError,
        RequestTimeoutError,
        UnsupportedMediaTypeError,
        TooManyRequestsError,
        InternalError,
        MaintenanceError,
    )
}

# Used when an error response carries no JSON errorCode (e.g. from a proxy).
_CODE_BY_STATUS = {
    401: "unauthorized",
    403: "unauthorized",
    404: "notFound",
    405: "methodNotAllowed",
    408: "requestTimeout",
    415: "unsupportedMediaType",
    429: "tooManyRequests",
    500: "internalError",
    503: "maintenance",
}


def error_for_response(
    http_status: int,
    error_code: str | None,
    details: str = "",
    *,
    retry_after: float | None = None,
) -> BankIDError:
    """Build the typed error for an HTTP error response."""
    code = error_code or _CODE_BY_STATUS.get(http_status)
    cls = ERRORS_BY_CODE.get(code or "")
    if cls is None:
        if error_code is None and http_status >= 500:
            # A gateway error without BankID's JSON: the network path failed.
            return BankIDTransportError(
                details or f"HTTP {http_status} without a BankID error body",
                http_status=http_status,
            )
        return UnknownBankIDError(
            details, http_status=http_status, error_code=code or "unknown", retry_after=retry_after
        )
    return cls(details, http_status=http_status, retry_after=retry_after)
