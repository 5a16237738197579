"""The real gateways' HTTP requests and how they treat the answers.

Only the remote gateway is mocked (``responses``); our code runs for real.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs

import pytest
import requests
import responses

from services.sms.gateways import (
    ConsoleBackend,
    FortySixElksBackend,
    HttpBackend,
    LocmemBackend,
    SmsError,
    TwilioBackend,
    get_sms_backend,
    outbox,
)

ELKS_URL = "https://api.46elks.com/a1/sms"
TWILIO_URL = "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
TEXT = 'Din kod till Självserviceportalen är 123456. "Den" gäller i 5 minuter.'


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def form(request) -> dict[str, str]:
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def elks(settings):
    settings.SMS_46ELKS_USERNAME = "u-elks"
    settings.SMS_46ELKS_PASSWORD = "p-elks"
    settings.SMS_SENDER = "Portalen"
    settings.SMS_RETRIES = 2
    return FortySixElksBackend()


@pytest.fixture
def twilio(settings):
    settings.SMS_TWILIO_ACCOUNT_SID = "AC123"
    settings.SMS_TWILIO_AUTH_TOKEN = "tok"
    settings.SMS_TWILIO_FROM = "+46766861004"
    settings.SMS_RETRIES = 2
    return TwilioBackend()


@pytest.fixture
def webhook(settings):
    settings.SMS_HTTP_URL = "https://sms.example.test/send"
    settings.SMS_HTTP_AUTH_HEADER = "Bearer s3cret"
    settings.SMS_RETRIES = 1
    return HttpBackend()


# --- 46elks -------------------------------------------------------------------------


def test_46elks_posts_the_form_with_basic_auth_and_dontlog(mocked, elks):
    mocked.post(ELKS_URL, json={"id": "s17a6dafb12d6b1cabc", "status": "created"})
    assert elks.send(to="+46701234512", text=TEXT) == "s17a6dafb12d6b1cabc"
    (call,) = mocked.calls
    assert call.request.method == "POST"
    assert call.request.url == ELKS_URL
    assert call.request.headers["Authorization"] == basic("u-elks", "p-elks")
    assert call.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(call.request) == {
        "from": "Portalen",
        "to": "+46701234512",
        "message": TEXT,
        "dontlog": "message",
    }


def test_46elks_refusal_is_permanent_and_not_retried(mocked, elks):
    mocked.post(ELKS_URL, status=403, body="Invalid to number +46701234512")
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is True
    assert err.value.status == 403
    assert "46701234512" not in err.value.detail  # numbers are kept out of logs
    assert len(mocked.calls) == 1


def test_46elks_bad_request_is_permanent(mocked, elks):
    mocked.post(ELKS_URL, status=400, body="Missing key message")
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.code) == (True, "rejected")


def test_46elks_server_errors_are_retried_then_not_permanent(mocked, elks):
    mocked.post(ELKS_URL, status=502, body="Bad gateway")
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.code) == (False, "server_error")
    assert len(mocked.calls) == 3  # SMS_RETRIES=2: one try and two retries


def test_46elks_succeeds_when_a_retry_gets_through(mocked, elks):
    mocked.post(ELKS_URL, status=503)
    mocked.post(ELKS_URL, json={"id": "s2", "status": "created"})
    assert elks.send(to="+46701234512", text=TEXT) == "s2"
    assert len(mocked.calls) == 2


def test_46elks_rate_limit_is_not_permanent_and_not_hammered(mocked, elks):
    mocked.post(ELKS_URL, status=429, body="Too many requests")
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.code) == (False, "rate_limited")
    assert len(mocked.calls) == 1


def test_46elks_timeouts_are_retried_then_not_permanent(mocked, elks):
    mocked.post(ELKS_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.code) == (False, "timeout")
    assert len(mocked.calls) == 3


def test_46elks_connection_errors_are_not_permanent(mocked, elks):
    mocked.post(ELKS_URL, body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.code) == (False, "connection")


def test_46elks_success_with_bad_json_counts_as_sent_without_id(mocked, elks):
    # 2xx means 46elks took the message: failing would make the user send a second SMS.
    mocked.post(ELKS_URL, body="<html>ok</html>", status=200)
    assert elks.send(to="+46701234512", text=TEXT) == ""
    assert len(mocked.calls) == 1


def test_46elks_reported_failure_is_permanent(mocked, elks):
    mocked.post(ELKS_URL, json={"id": "s3", "status": "failed"})
    with pytest.raises(SmsError) as err:
        elks.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is True


def test_46elks_without_credentials_sends_nothing(mocked, settings):
    settings.SMS_46ELKS_USERNAME = ""
    with pytest.raises(SmsError) as err:
        FortySixElksBackend().send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.code) == (True, "not_configured")
    assert len(mocked.calls) == 0


# --- Twilio -------------------------------------------------------------------------


def test_twilio_posts_to_the_account_messages_with_basic_auth(mocked, twilio):
    mocked.post(TWILIO_URL, status=201, json={"sid": "SM0123", "status": "queued"})
    assert twilio.send(to="+46701234512", text=TEXT) == "SM0123"
    (call,) = mocked.calls
    assert call.request.method == "POST"
    assert call.request.url == TWILIO_URL
    assert call.request.headers["Authorization"] == basic("AC123", "tok")
    assert form(call.request) == {"To": "+46701234512", "From": "+46766861004", "Body": TEXT}


def test_twilio_uses_the_messaging_service_instead_of_from(mocked, twilio, settings):
    settings.SMS_TWILIO_MESSAGING_SERVICE_SID = "MG999"
    mocked.post(TWILIO_URL, status=201, json={"sid": "SM1", "status": "accepted"})
    twilio.send(to="+46701234512", text=TEXT)
    assert form(mocked.calls[0].request) == {
        "To": "+46701234512",
        "MessagingServiceSid": "MG999",
        "Body": TEXT,
    }


def test_twilio_api_key_authenticates_instead_of_the_account(mocked, twilio, settings):
    settings.SMS_TWILIO_API_KEY_SID = "SKkey"
    mocked.post(TWILIO_URL, status=201, json={"sid": "SM1", "status": "queued"})
    twilio.send(to="+46701234512", text=TEXT)
    assert mocked.calls[0].request.headers["Authorization"] == basic("SKkey", "tok")


def test_twilio_error_is_permanent_and_logs_only_its_code(mocked, twilio):
    mocked.post(
        TWILIO_URL,
        status=400,
        json={
            "code": 21211,
            "message": "The 'To' number +46701234512 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        },
    )
    with pytest.raises(SmsError) as err:
        twilio.send(to="+46701234512", text=TEXT)
    assert (err.value.permanent, err.value.detail) == (True, "twilio code 21211")


def test_twilio_server_error_is_retried_then_not_permanent(mocked, twilio):
    mocked.post(TWILIO_URL, status=500, json={"code": 20500, "message": "Internal"})
    with pytest.raises(SmsError) as err:
        twilio.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is False
    assert len(mocked.calls) == 3


def test_twilio_created_with_bad_json_counts_as_sent_without_id(mocked, twilio):
    mocked.post(TWILIO_URL, status=201, body="not json")
    assert twilio.send(to="+46701234512", text=TEXT) == ""


def test_twilio_failed_status_is_permanent(mocked, twilio):
    mocked.post(
        TWILIO_URL, status=201, json={"sid": "SM5", "status": "failed", "error_code": 30006}
    )
    with pytest.raises(SmsError) as err:
        twilio.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is True


# --- Generic HTTP -------------------------------------------------------------------


def test_http_backend_sends_the_json_template_with_escaped_values(mocked, webhook, settings):
    settings.SMS_HTTP_ID_FIELD = "data.id"
    mocked.post("https://sms.example.test/send", json={"data": {"id": 42}})
    text = 'Kod "123456"\n{to} är inte ett fält'
    assert webhook.send(to="+46701234512", text=text) == "42"
    (call,) = mocked.calls
    assert call.request.method == "POST"
    assert call.request.headers["Authorization"] == "Bearer s3cret"
    assert call.request.headers["Content-Type"] == "application/json"
    assert json.loads(call.request.body) == {
        "to": "+46701234512",
        "from": "Portalen",
        "message": text,
    }


def test_http_backend_sends_a_form_template(mocked, webhook, settings):
    settings.SMS_HTTP_CONTENT_TYPE = "application/x-www-form-urlencoded"
    settings.SMS_HTTP_BODY_TEMPLATE = "dest={to}&msg={text}&key=abc"
    mocked.post("https://sms.example.test/send", json={"id": "m1"})
    assert webhook.send(to="+46701234512", text="a&b=c ö") == "m1"
    assert form(mocked.calls[0].request) == {"dest": "+46701234512", "msg": "a&b=c ö", "key": "abc"}


def test_http_backend_get_puts_the_fields_in_the_query(mocked, webhook, settings):
    settings.SMS_HTTP_METHOD = "GET"
    settings.SMS_HTTP_URL = "https://sms.example.test/send?user=x"
    settings.SMS_HTTP_BODY_TEMPLATE = "to={to}&text={text}"
    mocked.get("https://sms.example.test/send", json={"id": "g1"})
    assert webhook.send(to="+46701234512", text="hej då") == "g1"
    request = mocked.calls[0].request
    assert request.method == "GET"
    assert parse_qs(request.url.split("?", 1)[1]) == {
        "user": ["x"],
        "to": ["+46701234512"],
        "text": ["hej då"],
    }


def test_http_backend_accepts_2xx_without_an_id(mocked, webhook):
    mocked.post("https://sms.example.test/send", status=204)
    assert webhook.send(to="+46701234512", text=TEXT) == ""


def test_http_backend_4xx_is_permanent_and_5xx_is_not(mocked, webhook):
    mocked.post("https://sms.example.test/send", status=422, json={"error": "bad number"})
    with pytest.raises(SmsError) as err:
        webhook.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is True
    mocked.replace(responses.POST, "https://sms.example.test/send", status=500)
    with pytest.raises(SmsError) as err:
        webhook.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is False


def test_http_backend_redirect_is_not_followed(mocked, webhook):
    mocked.post("https://sms.example.test/send", status=302, headers={"Location": "https://x"})
    with pytest.raises(SmsError) as err:
        webhook.send(to="+46701234512", text=TEXT)
    assert err.value.permanent is True
    assert len(mocked.calls) == 1


def test_gateway_failure_never_logs_the_text(mocked, elks, caplog):
    mocked.post(ELKS_URL, status=500, body="error for 123456")
    with caplog.at_level("DEBUG"), pytest.raises(SmsError):
        elks.send(to="+46701234512", text=TEXT)
    assert "123456" not in caplog.text
    assert "46701234512" not in caplog.text


# --- Development backends and the loader ----------------------------------------------


def test_locmem_backend_keeps_messages_in_the_outbox():
    provider_id = LocmemBackend().send(to="+46701234512", text="hej")
    assert outbox[-1].to == "+46701234512" and outbox[-1].text == "hej"
    assert outbox[-1].provider_id == provider_id


def test_console_backend_prints_the_message(capsys):
    ConsoleBackend().send(to="+46701234512", text="Din kod är 654321.")
    out = capsys.readouterr().out
    assert "+46701234512" in out and "Din kod är 654321." in out


def test_get_sms_backend_follows_the_setting(settings):
    settings.SMS_BACKEND = "services.sms.gateways.TwilioBackend"
    assert isinstance(get_sms_backend(), TwilioBackend)
    settings.SMS_BACKEND = "services.sms.gateways.LocmemBackend"
    assert isinstance(get_sms_backend(), LocmemBackend)
