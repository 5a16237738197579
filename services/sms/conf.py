"""Mobilkod settings: ``DEFAULTS`` holds each one's default (the only place it is
written); the environment overrides them through portal/settings.py."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "SMS_BACKEND": "services.sms.gateways.ConsoleBackend",
    "SMS_SENDER": "Portalen",
    "SMS_TIMEOUT": 10.0,
    "SMS_CONNECT_TIMEOUT": None,  # None: SMS_TIMEOUT, at most 5 s
    "SMS_RETRIES": 2,
    "SMS_RETRY_BACKOFF": 0.5,
    "SMS_ALLOWED_COUNTRIES": None,  # None: DEFAULT_ALLOWED_COUNTRIES
    "SMS_DEFAULT_COUNTRY": "SE",
    "SMS_CODE_LENGTH": 6,
    "SMS_CODE_VALIDITY": 5 * 60,
    "SMS_CODE_MAX_ATTEMPTS": 3,
    "SMS_RESEND_COOLDOWN": 60,
    "SMS_CHALLENGE_RETENTION": 24 * 3600,
    "SMS_GLOBAL_HOURLY_BUDGET": 500,
    "SMS_RATE_LIMITS": {},
    "SMS_46ELKS_URL": "https://api.46elks.com/a1/sms",
    "SMS_46ELKS_USERNAME": "",
    "SMS_46ELKS_PASSWORD": "",
    "SMS_TWILIO_BASE_URL": "https://api.twilio.com",
    "SMS_TWILIO_ACCOUNT_SID": "",
    "SMS_TWILIO_AUTH_TOKEN": "",
    "SMS_TWILIO_API_KEY_SID": "",
    "SMS_TWILIO_FROM": "",
    "SMS_TWILIO_MESSAGING_SERVICE_SID": "",
    "SMS_HTTP_URL": "",
    "SMS_HTTP_METHOD": "POST",
    "SMS_HTTP_AUTH_HEADER": "",
    "SMS_HTTP_CONTENT_TYPE": "application/json",
    "SMS_HTTP_BODY_TEMPLATE": "",
    "SMS_HTTP_ID_FIELD": "id",
}


def _get(name: str):
    """The setting ``name``, or its default (``DEFAULTS``)."""
    return getattr(settings, name, DEFAULTS[name])


# --- Gateway ----------------------------------------------------------------
def backend_path() -> str:
    return _get("SMS_BACKEND")


def sender() -> str:
    """The sender shown on the phone: an alphanumeric ID (at most 11 characters
    at most operators) or an E.164 number."""
    return _get("SMS_SENDER")


def connect_timeout() -> float:
    value = _get("SMS_CONNECT_TIMEOUT")
    return float(min(5.0, read_timeout()) if value is None else value)


def read_timeout() -> float:
    """Seconds to wait for the gateway's answer (per read) before giving up."""
    return float(_get("SMS_TIMEOUT"))


def retries() -> int:
    """Extra tries after a timeout, a connection error or a 5xx answer."""
    return max(0, int(_get("SMS_RETRIES")))


def retry_backoff() -> float:
    """Seconds before the first retry; doubled before each further one."""
    return max(0.0, float(_get("SMS_RETRY_BACKOFF")))


# The Nordic countries (with Åland, the Faroe Islands and Greenland) and the
# rest of the EU/EEA: where a Swedish organisation's staff have their phones.
# Premium-rate "SMS pumping" fraud sends codes to far-away number ranges.
DEFAULT_ALLOWED_COUNTRIES = (
    "SE", "NO", "DK", "FI", "IS", "AX", "FO", "GL",
    "AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "LI",
)  # fmt: skip


def allowed_countries() -> tuple[str, ...]:
    """ISO codes of the countries numbers may belong to (``SMS_ALLOWED_COUNTRIES``;
    ``*`` allows every country)."""
    value = _get("SMS_ALLOWED_COUNTRIES")
    if value is None or (not isinstance(value, str) and not list(value)):
        return DEFAULT_ALLOWED_COUNTRIES
    if isinstance(value, str):
        value = [v for v in value.replace(" ", "").split(",") if v]
    codes = tuple(c.upper() for c in value)
    return () if "*" in codes else codes


def default_country() -> str:
    return str(_get("SMS_DEFAULT_COUNTRY")).upper()


# --- One-time codes -----------------------------------------------------------
def code_length() -> int:
    return int(_get("SMS_CODE_LENGTH"))


def code_validity_seconds() -> int:
    return int(_get("SMS_CODE_VALIDITY"))


def code_max_attempts() -> int:
    """Wrong tries of one code; then a new code is needed."""
    return int(_get("SMS_CODE_MAX_ATTEMPTS"))


def resend_cooldown_seconds() -> int:
    return int(_get("SMS_RESEND_COOLDOWN"))


def challenge_retention_seconds() -> int:
    """How long finished challenges are kept (for support questions) before pruning."""
    return int(_get("SMS_CHALLENGE_RETENTION"))


# --- Rate limits: (attempts, window in seconds) -----------------------------------
DEFAULT_RATE_LIMITS = {
    "send_user": (5, 15 * 60),
    "send_user_day": (10, 24 * 3600),
    # A whole office can share one address (NAT): the per-user and per-number
    # limits are the tight ones.
    "send_ip": (200, 60 * 60),
    "send_ip_day": (1000, 24 * 3600),
    "send_number": (5, 60 * 60),
    "send_number_day": (10, 24 * 3600),
    "verify_user": (10, 15 * 60),
    "verify_ip": (1000, 60 * 60),
}


def global_hourly_budget() -> int:
    """Codes the whole portal may send in any hour (0: no budget). When it is
    spent, sending stops and an alert is logged (ERROR) and audited."""
    return int(_get("SMS_GLOBAL_HOURLY_BUDGET"))


def rate_limit(name: str) -> tuple[int, int]:
    """``SMS_RATE_LIMITS`` may override any of ``DEFAULT_RATE_LIMITS``."""
    limits = {**DEFAULT_RATE_LIMITS, **(_get("SMS_RATE_LIMITS") or {})}
    limit, window = limits[name]
    return int(limit), int(window)


# --- 46elks -------------------------------------------------------------------
def elks_url() -> str:
    return _get("SMS_46ELKS_URL")


def elks_username() -> str:
    return _get("SMS_46ELKS_USERNAME")


def elks_password() -> str:
    return _get("SMS_46ELKS_PASSWORD")


# --- Twilio -------------------------------------------------------------------
def twilio_base_url() -> str:
    return _get("SMS_TWILIO_BASE_URL")


def twilio_account_sid() -> str:
    return _get("SMS_TWILIO_ACCOUNT_SID")


def twilio_auth_token() -> str:
    return _get("SMS_TWILIO_AUTH_TOKEN")


def twilio_api_key_sid() -> str:
    """Optional API key SID: with it, Basic auth uses the key and AUTH_TOKEN is its secret."""
    return _get("SMS_TWILIO_API_KEY_SID")


def twilio_from() -> str:
    return _get("SMS_TWILIO_FROM")


def twilio_messaging_service_sid() -> str:
    return _get("SMS_TWILIO_MESSAGING_SERVICE_SID")


# --- Generic HTTP gateway --------------------------------------------------------
def http_url() -> str:
    return _get("SMS_HTTP_URL")


def http_method() -> str:
    return str(_get("SMS_HTTP_METHOD")).upper()


def http_auth_header() -> str:
    """The whole value of the Authorization header, e.g. ``Bearer abc``."""
    return _get("SMS_HTTP_AUTH_HEADER")


def http_content_type() -> str:
    """``application/json`` or ``application/x-www-form-urlencoded``."""
    return _get("SMS_HTTP_CONTENT_TYPE")


def http_body_template() -> str:
    """The request body with ``{to}``, ``{text}`` and ``{sender}`` placeholders;
    values are escaped for the content type (JSON string or form field)."""
    default = (
        '{"to": "{to}", "from": "{sender}", "message": "{text}"}'
        if http_content_type().startswith("application/json")
        else "to={to}&from={sender}&message={text}"
    )
    return _get("SMS_HTTP_BODY_TEMPLATE") or default


def http_id_field() -> str:
    """Dotted path of the message id in the JSON answer (``id``, ``data.id``); empty: none."""
    return _get("SMS_HTTP_ID_FIELD")
