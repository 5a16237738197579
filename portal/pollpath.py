"""The BankID order page's token poll, answered before Django's request cycle.

Every open BankID page polls once a second, so on a busy morning most web
requests are these. With the page's poll token (``services/bankid/poll.py``)
a poll needs no session, no user and no database: the token is checked
against the session cookie and the answer comes from one cache read. What was
left of its cost was Django's own request cycle around that (the request
object, the middleware, resolving the URL under the language prefix), so
``portal.wsgi`` answers exactly these requests here, with the same checks and
the same response headers as the Django view (tests/portal/test_pollpath.py
compares them), and hands everything else, and anything unexpected, to
Django: a poll without a token, another method or path, a host outside
``ALLOWED_HOSTS``, plain HTTP under ``SECURE_SSL_REDIRECT``, an error.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from urllib.parse import parse_qs

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http.cookie import parse_cookie
from django.http.request import HttpHeaders, split_domain_port, validate_host
from django.utils import translation
from django.utils.http import http_date

from .middleware import _PORTAL_CSP

logger = logging.getLogger(__name__)

# Django's <uuid:...> converter, under the optional language prefix.
_PATH = re.compile(
    r"^/(?:(?P<lang>[a-z]{2})/)?bankid/order/"
    r"(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/status$"
)


class _Request:
    """What the poll's service code reads of a request."""

    def __init__(self, environ: dict, cookies: dict) -> None:
        self.META = environ
        self.headers = HttpHeaders(environ)
        self.COOKIES = cookies


def _secure(environ: dict) -> bool:
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if header:
        name, value = header
        forwarded = environ.get(name)
        if forwarded is not None:
            return forwarded.split(",", 1)[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _headers(*, secure: bool, language: str, prefixed: bool, length: int) -> list[tuple[str, str]]:
    """The headers Django's middleware gives the status view's JSON."""
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(length)),
        ("Expires", http_date()),
        ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
    ]
    if not prefixed:  # LocaleMiddleware: the language did not come from the path
        headers.append(("Vary", "Accept-Language"))
    headers.append(("Content-Language", language))
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        if not isinstance(policy, str):
            policy = ",".join(policy)
        headers.append(("Referrer-Policy", policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    csp = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    csp = _PORTAL_CSP if csp is None else csp
    if csp:
        headers.append(("Content-Security-Policy", csp))
    headers.append(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
    return headers


def answer(environ: dict) -> tuple[str, list[tuple[str, str]], bytes] | None:
    """The token poll's response, or None: Django answers this request."""
    if environ.get("REQUEST_METHOD") != "GET" or "t=" not in environ.get("QUERY_STRING", ""):
        return None
    match = _PATH.match(environ.get("PATH_INFO", ""))
    if match is None:
        return None
    language = match["lang"] or settings.LANGUAGE_CODE
    if match["lang"] and (
        match["lang"] == settings.LANGUAGE_CODE or match["lang"] not in dict(settings.LANGUAGES)
    ):
        return None
    domain, _port = split_domain_port(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    secure = _secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    token = query.get("t", [""])[-1]
    mode = query.get("mode", [""])[-1]
    if not token:
        return None
    from services.bankid.orders import token_polled_order
    from services.bankid.status import order_state

    request = _Request(environ, parse_cookie(environ.get("HTTP_COOKIE", "")))
    order_id = uuid.UUID(match["id"])
    with translation.override(language):
        order = token_polled_order(request=request, order_id=order_id, token=token)
        if order is None:
            status, state = "403 Forbidden", {"error": "poll-token"}
        else:
            status = "200 OK"
            state = order_state(order, request, mode=mode, session_less=True)
    body = json.dumps(state, cls=DjangoJSONEncoder).encode()
    headers = _headers(
        secure=secure, language=language, prefixed=bool(match["lang"]), length=len(body)
    )
    return status, headers, body


class TokenPollShortcut:
    """WSGI middleware: the token poll here, everything else to Django."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        try:
            result = answer(environ)
        except Exception:  # Django answers it again, and reports what goes wrong
            logger.debug("token poll left to Django", exc_info=True)
            result = None
        if result is None:
            return self.application(environ, start_response)
        status, headers, body = result
        start_response(status, headers)
        return [body]
