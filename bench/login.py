"""Section 3: logging in (POST /login/ through Django's test client, in this
process, against the Samba AD DC) next to a bare ldap3 bind + search of the
same user on a new LDAPS connection to the same DC: what any login against
AD costs at least.

The two alternate, one of each per iteration, so that a busy moment of the
shared machine hits both. Each login comes from its own address and a few
users take turns, so the portal's rate limits (30 per address, 10 per user in
5 minutes) never refuse one; they are still counted on every attempt.
"""

from __future__ import annotations

import ssl
import statistics
import time

from .loadgen import percentile

TARGET_RATIO = 1.3
PASSWORD = "Bench-Login-Pw-71"


def bare_bind_and_search(dc, dn: str, username: str, password: str) -> None:
    """A new LDAPS connection (CA file given), bind as the user, read their entry."""
    from ldap3 import NONE, SUBTREE, Connection, Server

    from identity.directory import ad_entries
    from identity.directory.ad_connection import PortalTls

    tls = PortalTls(
        validate=ssl.CERT_REQUIRED,
        ca_certs_file=dc.ca_file,
        valid_names=[dc.server_name],
        strict=False,  # Samba's self-made certificate (Python 3.13's strict checks)
    )
    server = Server(dc.address, port=636, use_ssl=True, tls=tls, get_info=NONE)
    conn = Connection(server, user=dn, password=password, raise_exceptions=False)
    try:
        if not conn.bind():
            raise RuntimeError(f"bare bind failed: {conn.result}")
        conn.search(
            dc.base_dn,
            f"(sAMAccountName={username})",
            search_scope=SUBTREE,
            attributes=list(ad_entries.USER_ATTRIBUTES),
        )
        if len(conn.entries) != 1:
            raise RuntimeError(f"bare search found {len(conn.entries)} entries")
    finally:
        conn.unbind()


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "n": len(values),
        "p50_ms": round(percentile(ordered, 50) * 1000, 2),
        "p90_ms": round(percentile(ordered, 90) * 1000, 2),
        "mean_ms": round(statistics.fmean(values) * 1000, 2),
    }


def run(stack, *, smoke: bool) -> dict:
    from django.test import Client
    from django.urls import reverse

    dc = stack.samba
    iterations = 3 if smoke else 40
    warmup = 1 if smoke else 3
    users = []
    for n in range(1 if smoke else 5):
        name = f"bench-login{n}"
        users.append(dc.create_user(name, PASSWORD, display_name=f"Bench Login {n}"))
    url = reverse("login")

    def portal_login(i: int) -> float:
        user = users[i % len(users)]
        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=f"127.0.{1 + i // 250}.{1 + i % 250}")
        started = time.perf_counter()
        response = client.post(url, {"username": user["username"], "password": PASSWORD})
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise RuntimeError(f"login answered {response.status_code}")
        return elapsed

    def bare(i: int) -> float:
        user = users[i % len(users)]
        started = time.perf_counter()
        bare_bind_and_search(dc, user["dn"], user["username"], PASSWORD)
        return time.perf_counter() - started

    portal, plain = [], []
    for i in range(warmup + iterations):
        first, second = (portal_login, bare) if i % 2 == 0 else (bare, portal_login)
        a, b = first(i), second(i)
        if i < warmup:
            continue
        (portal if first is portal_login else plain).append(a)
        (plain if first is portal_login else portal).append(b)
    p, q = _summary(portal), _summary(plain)
    ratio = p["p50_ms"] / q["p50_ms"] if q["p50_ms"] else 0.0
    return {
        "target": f"<= {TARGET_RATIO}x the bare bind + search (median)",
        "portal_login": p,
        "bare_bind_search": q,
        "ratio": round(ratio, 3),
        "how": "POST /login/ (test client, in process) vs new LDAPS connection + bind + search",
        "met": bool(ratio <= TARGET_RATIO),
    }
