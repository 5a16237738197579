"""A generic HTTP gateway configured entirely by settings (SMS_HTTP_*)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote_plus

from .. import conf
from .base import HttpGatewayBackend, SmsError, dig

_PLACEHOLDER = re.compile(r"\{(to|text|sender)\}")


def _json_escape(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def render_template(template: str, values: dict[str, str], escape: Callable[[str], str]) -> str:
    """Fill ``{to}``, ``{text}``, ``{sender}`` in one pass: a text that itself
    contains ``{to}`` is not expanded again."""
    return _PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]), template)


class HttpBackend(HttpGatewayBackend):
    provider = "http"

    @classmethod
    def missing_settings(cls) -> list[str]:
        return [] if conf.http_url() else ["SMS_HTTP_URL"]

    def send(self, *, to: str, text: str) -> str:
        if self.missing_settings():
            raise SmsError("SMS_HTTP_URL is not configured", True, code="not_configured")
        values = {"to": to, "text": text, "sender": conf.sender()}
        content_type = conf.http_content_type()
        is_json = "json" in content_type
        url = render_template(conf.http_url(), values, quote_plus)
        headers = {}
        if conf.http_auth_header():
            headers["Authorization"] = conf.http_auth_header()
        method = conf.http_method()
        if method == "GET":
            query = render_template(conf.http_body_template(), values, quote_plus)
            url = f"{url}{'&' if '?' in url else '?'}{query}"
            body = None
        else:
            body = render_template(
                conf.http_body_template(), values, _json_escape if is_json else quote_plus
            ).encode()
            headers["Content-Type"] = content_type
        response = self.request(method, url, headers=headers, data=body)
        if not conf.http_id_field():
            return ""
        provider_id = dig(self.json_or_none(response), conf.http_id_field())
        if provider_id in (None, ""):
            return self.accepted_without_id(response)
        return str(provider_id)
