"""46elks (Swedish provider): https://api.46elks.com/a1/sms."""

from __future__ import annotations

from .. import conf
from .base import HttpGatewayBackend, SmsError


class FortySixElksBackend(HttpGatewayBackend):
    provider = "46elks"

    @classmethod
    def missing_settings(cls) -> list[str]:
        return [
            name
            for name, value in (
                ("SMS_46ELKS_USERNAME", conf.elks_username()),
                ("SMS_46ELKS_PASSWORD", conf.elks_password()),
            )
            if not value
        ]

    def send(self, *, to: str, text: str) -> str:
        if self.missing_settings():
            raise SmsError("46elks credentials are not configured", True, code="not_configured")
        response = self.request(
            "POST",
            conf.elks_url(),
            auth=(conf.elks_username(), conf.elks_password()),
            # dontlog keeps the text (the code) out of 46elks' message log.
            data={"from": conf.sender(), "to": to, "message": text, "dontlog": "message"},
        )
        data = self.json_or_none(response)
        if not isinstance(data, dict) or not data.get("id"):
            return self.accepted_without_id(response)
        if data.get("status") == "failed":
            raise SmsError("46elks reports the message failed", True, code="rejected")
        return str(data["id"])
