"""The SMS gateway interface, its one error type and the shared HTTP plumbing."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import requests

from .. import conf

logger = logging.getLogger("portal.sms")


class SmsError(Exception):
    """A message that the gateway did not take.

    ``permanent`` says whether sending the same message again can help: a
    refused request (4xx) will be refused again; a timeout, a connection error,
    a 5xx or a 429 may pass later. ``code`` keys the user-facing message and
    the audit trail; ``detail`` is for operators and never holds the text.
    """

    def __init__(
        self,
        message: str,
        permanent: bool = False,
        *,
        code: str = "gateway_error",
        status: int | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code
        self.status = status
        self.detail = detail


class SmsBackend:
    """Sends one text message. Chosen by ``settings.SMS_BACKEND``."""

    #: Delivers nothing to a phone (console, locmem): refused by a system check in production.
    development_only = False

    def send(self, *, to: str, text: str) -> str:
        """Send ``text`` to the E.164 number ``to``; return the provider's message id
        ("" when the provider accepted the message without saying its id).

        Raises SmsError when the gateway did not take the message.
        """
        raise NotImplementedError

    @classmethod
    def missing_settings(cls) -> list[str]:
        """Names of the settings this backend needs that are empty (system check)."""
        return []


_DIGITS = re.compile(r"\d{4,}")


def redact(text: str, limit: int = 200) -> str:
    """A gateway's error body for logs: digit runs (numbers, codes) removed."""
    return _DIGITS.sub("…", (text or "").strip())[:limit]


def dig(data: Any, path: str) -> Any:
    """``data["a"]["b"]`` for the dotted path ``a.b``; None when missing."""
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


class HttpGatewayBackend(SmsBackend):
    """A gateway reached over HTTPS with ``requests``: timeouts, retries with
    exponential back-off on timeouts, connection errors and 5xx answers."""

    provider = "http"

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """The gateway's final answer: anything but a 5xx after the retries.

        Raises SmsError for timeouts, connection errors and 5xx (not permanent)
        once the retries are used up, and for 3xx/4xx answers (permanent but 429).
        """
        attempts = conf.retries() + 1
        timeout = (conf.connect_timeout(), conf.read_timeout())
        error: SmsError | None = None
        for attempt in range(attempts):
            if attempt:
                delay = conf.retry_backoff() * 2 ** (attempt - 1)
                logger.warning(
                    "sms %s: %s, retry %d/%d in %.1fs",
                    self.provider,
                    error.code if error else "error",
                    attempt,
                    attempts - 1,
                    delay,
                )
                time.sleep(delay)
            try:
                with requests.Session() as session:
                    response = session.request(
                        method, url, timeout=timeout, allow_redirects=False, **kwargs
                    )
            except requests.Timeout:
                error = SmsError(f"{self.provider} timed out", False, code="timeout")
                continue
            except requests.ConnectionError:
                error = SmsError(f"{self.provider} could not be reached", False, code="connection")
                continue
            except requests.RequestException as exc:
                # A malformed URL or the like: configuration, retrying cannot help.
                raise SmsError(
                    f"{self.provider} request failed: {type(exc).__name__}",
                    True,
                    code="not_configured",
                ) from exc
            if response.status_code >= 500:
                error = SmsError(
                    f"{self.provider} answered {response.status_code}",
                    False,
                    code="server_error",
                    status=response.status_code,
                    detail=self.error_detail(response),
                )
                continue
            self.raise_for_status(response)
            return response
        assert error is not None
        logger.error("sms %s: giving up: %s %s", self.provider, error.code, error.detail)
        raise error

    def raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        detail = self.error_detail(response)
        if status == 429:
            raise SmsError(
                f"{self.provider} is rate limiting", False, code="rate_limited", status=status
            )
        code = "not_configured" if status in (401, 403) else "rejected"
        logger.error("sms %s: answered %s: %s", self.provider, status, detail)
        raise SmsError(
            f"{self.provider} answered {status}", True, code=code, status=status, detail=detail
        )

    def error_detail(self, response: requests.Response) -> str:
        return redact(response.text)

    @staticmethod
    def json_or_none(response: requests.Response) -> Any:
        try:
            return response.json()
        except (ValueError, json.JSONDecodeError):
            return None

    def accepted_without_id(self, response: requests.Response) -> str:
        # A 2xx means the gateway took the message; reporting a failure would
        # make the user send again (a second SMS), so accept it without an id.
        logger.warning(
            "sms %s: answered %s without a readable message id", self.provider, response.status_code
        )
        return ""
