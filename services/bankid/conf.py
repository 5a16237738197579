"""Settings of the BankID client, with defaults.

Read on every access (``getattr(settings, NAME, default)``) so that tests can
override them. Every certificate setting takes either a file path or the PEM
text itself; PEM text is what ``portal.env.env_str`` gives for ``NAME_FILE``.

==========================  ===============================================
``BANKID_BACKEND``          dotted path of the client class (project setting)
``BANKID_URL``              RP API base URL, default production
``BANKID_CERT``             RP certificate (path or PEM; may also hold the key)
``BANKID_KEY``              RP private key (path or PEM); empty if in CERT
``BANKID_KEY_PASSWORD``     passphrase of an encrypted key, or empty
``BANKID_CA``               CA to verify the server (path or PEM); empty =
                            BankID's pinned root for BankID's own URLs
``BANKID_TIMEOUT``          seconds: ``10`` or ``(3, 10)`` or ``"3,10"``
                            (connect, read)
``BANKID_PROXY``            HTTPS proxy URL, or empty for a direct connection
``BANKID_POOL_SIZE``        kept-alive connections per process
``BANKID_COLLECT_BATCH``    orders the batch collector claims at once
``BANKID_COLLECT_THREADS``  collects in flight at once per process (they
                            share the pooled connections; 1 = one by one)
``BANKID_COLLECTOR_SLOTS``  collector runs in parallel at most, cluster-wide
``BANKID_COLLECTOR_RUN_SECONDS``  how long one run collects before it queues
                            its successor (other tasks get a turn)
``BANKID_COLLECTOR_IDLE_WAIT``    seconds a run that found little due waits
                            to gather the next batch
``BANKID_POLL_TOKEN_SECONDS``     lifetime of an order page's poll token
==========================  ===============================================
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import roots

PRODUCTION_URL = "https://appapi2.bankid.com/rp/v6.0/"
TEST_URL = "https://appapi2.test.bankid.com/rp/v6.0/"

DEFAULTS: dict[str, object] = {
    "BANKID_BACKEND": "services.bankid.client.BankIDClient",
    "BANKID_URL": PRODUCTION_URL,
    "BANKID_CERT": "",
    "BANKID_KEY": "",
    "BANKID_KEY_PASSWORD": "",
    "BANKID_CA": "",
    "BANKID_TIMEOUT": (3.05, 10.0),
    "BANKID_PROXY": "",
    "BANKID_POOL_SIZE": 10,
    # What a completed order whose risk BankID rates high means for a proof:
    # "refuse" it, or "stepup": count it only together with one more service.
    "BANKID_HIGH_RISK": "refuse",
    "BANKID_COLLECT_BATCH": 100,
    "BANKID_COLLECT_THREADS": 8,
    "BANKID_COLLECTOR_SLOTS": 8,
    "BANKID_COLLECTOR_RUN_SECONDS": 1.0,
    "BANKID_COLLECTOR_IDLE_WAIT": 0.2,
    "BANKID_POLL_TOKEN_SECONDS": 120,
}

_PINNED_ROOTS = {
    urlsplit(PRODUCTION_URL).hostname: roots.PRODUCTION_ROOT,
    urlsplit(TEST_URL).hostname: roots.TEST_ROOT,
}


def get(name: str) -> object:
    """The setting ``name``, or its default."""
    return getattr(settings, name, DEFAULTS[name])


def get_str(name: str) -> str:
    value = get(name)
    return "" if value is None else str(value)


def timeout() -> tuple[float, float]:
    """``BANKID_TIMEOUT`` as (connect, read) seconds."""
    return parse_timeout(get("BANKID_TIMEOUT"))


def parse_timeout(value: object) -> tuple[float, float]:
    try:
        if isinstance(value, str):
            parts = [float(p) for p in value.replace(";", ",").split(",") if p.strip()]
        elif isinstance(value, list | tuple):
            parts = [float(p) for p in value]
        else:
            parts = [float(value)]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ImproperlyConfigured("BANKID_TIMEOUT must be seconds or connect,read") from None
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or min(parts) <= 0:
        raise ImproperlyConfigured("BANKID_TIMEOUT must be seconds or connect,read")
    return parts[0], parts[1]


def default_ca_for(url: str) -> str:
    """BankID's pinned root (PEM) for BankID's own hosts; otherwise a CA must be set."""
    root = _PINNED_ROOTS.get(urlsplit(url).hostname)
    if root is None:
        raise ImproperlyConfigured(
            "BANKID_CA must be set: BANKID_URL is not BankID's production or test "
            "server, so there is no pinned root to trust."
        )
    return root
