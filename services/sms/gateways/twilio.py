"""Twilio Programmable Messaging: POST .../Accounts/{sid}/Messages.json."""

from __future__ import annotations

import requests

from .. import conf
from .base import HttpGatewayBackend, SmsError, redact


class TwilioBackend(HttpGatewayBackend):
    provider = "twilio"

    @classmethod
    def missing_settings(cls) -> list[str]:
        missing = [
            name
            for name, value in (
                ("SMS_TWILIO_ACCOUNT_SID", conf.twilio_account_sid()),
                ("SMS_TWILIO_AUTH_TOKEN", conf.twilio_auth_token()),
            )
            if not value
        ]
        if not (conf.twilio_from() or conf.twilio_messaging_service_sid() or conf.sender()):
            missing.append("SMS_TWILIO_FROM")
        return missing

    def send(self, *, to: str, text: str) -> str:
        if self.missing_settings():
            raise SmsError("Twilio credentials are not configured", True, code="not_configured")
        sid = conf.twilio_account_sid()
        url = f"{conf.twilio_base_url().rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        data = {"To": to, "Body": text}
        if conf.twilio_messaging_service_sid():
            data["MessagingServiceSid"] = conf.twilio_messaging_service_sid()
        else:
            data["From"] = conf.twilio_from() or conf.sender()
        response = self.request(
            "POST",
            url,
            auth=(conf.twilio_api_key_sid() or sid, conf.twilio_auth_token()),
            data=data,
        )
        body = self.json_or_none(response)
        if not isinstance(body, dict) or not body.get("sid"):
            return self.accepted_without_id(response)
        if body.get("status") in {"failed", "undelivered"} or body.get("error_code"):
            raise SmsError(
                "Twilio reports the message failed",
                True,
                code="rejected",
                detail=f"error_code={body.get('error_code')}",
            )
        return str(body["sid"])

    def error_detail(self, response: requests.Response) -> str:
        # Twilio's error JSON: {code, message, more_info, status}; its message may
        # quote the number, so only the numeric code goes to the logs.
        body = self.json_or_none(response)
        if isinstance(body, dict) and body.get("code"):
            return f"twilio code {body['code']}"
        return redact(response.text)
