"""Reaching the real Samba AD DC: TLS, failover, an unreachable directory, policy."""

from __future__ import annotations

import datetime
import logging
import time

import pytest

from identity.directory import DirectoryUnavailable, PasswordPolicy, get_directory

pytestmark = pytest.mark.samba

PASSWORD = "Natverk-Losen-7"
# Port 1 (tcpmux) is closed on every loopback address here.
CLOSED = ["ldaps://127.0.0.1:1", "ldaps://127.0.0.9:1"]


@pytest.fixture
def user(samba_dc):
    name = samba_dc.unique("net")
    return samba_dc.create_user(name, PASSWORD)


def _other_ca(path) -> str:
    """A CA certificate that did not sign the DC's certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Some Other CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    ca_file = path / "other-ca.pem"
    ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(ca_file)


def test_check_passes_when_the_directory_answers(ad_directory):
    ad_directory.check()


def test_first_url_closed_fails_over_to_the_second(settings, ad_directory, samba_dc, user):
    settings.LDAP_URLS = [CLOSED[0], samba_dc.url]
    directory = get_directory()
    assert directory.authenticate(user["username"], PASSWORD).guid == user["guid"]
    directory.check()


def test_failover_logs_the_url_that_failed(settings, ad_directory, samba_dc, user, caplog):
    settings.LDAP_URLS = [CLOSED[0], samba_dc.url]
    with caplog.at_level(logging.WARNING, logger="identity.directory.ad"):
        get_directory().check()
    assert any(CLOSED[0] in r.getMessage() for r in caplog.records)


def test_all_urls_down_is_directory_unavailable(settings, ad_directory, user):
    settings.LDAP_URLS = CLOSED
    directory = get_directory()
    with pytest.raises(DirectoryUnavailable):
        directory.check()
    with pytest.raises(DirectoryUnavailable):
        directory.authenticate(user["username"], PASSWORD)
    with pytest.raises(DirectoryUnavailable):
        directory.find_user(user["username"])


def test_all_urls_down_is_a_transient_error(settings, ad_directory):
    settings.LDAP_URLS = CLOSED
    with pytest.raises(DirectoryUnavailable) as caught:
        get_directory().check()
    assert caught.value.permanent is False
    assert "127.0.0.1:1" in caught.value.detail and "127.0.0.9:1" in caught.value.detail


def test_wrong_ca_file_refuses_the_connection_and_logs_why(
    settings, ad_directory, user, tmp_path, caplog
):
    settings.LDAP_CA_FILE = _other_ca(tmp_path)
    directory = get_directory()
    with caplog.at_level(logging.WARNING, logger="identity.directory.ad"):
        with pytest.raises(DirectoryUnavailable):
            directory.authenticate(user["username"], PASSWORD)
    messages = [r.getMessage() for r in caplog.records]
    assert any("TLS certificate not trusted" in m and "LDAP_CA_FILE" in m for m in messages)


def test_connecting_by_ip_without_the_expected_name_is_refused_and_logged(
    settings, ad_directory, caplog
):
    settings.LDAP_TLS_SERVER_NAME = ""
    with caplog.at_level(logging.WARNING, logger="identity.directory.ad"):
        with pytest.raises(DirectoryUnavailable):
            get_directory().check()
    assert any("LDAP_TLS_SERVER_NAME" in r.getMessage() for r in caplog.records)


def test_starttls_on_ldap_url_works(settings, ad_directory, samba_dc, user):
    settings.LDAP_URLS = [f"ldap://{samba_dc.address}"]
    assert get_directory().authenticate(user["username"], PASSWORD).guid == user["guid"]


def test_wrong_service_password_is_directory_unavailable(settings, ad_directory, caplog):
    settings.LDAP_BIND_PASSWORD = "Inte-Ratt-Losen-1"
    with caplog.at_level(logging.ERROR, logger="identity.directory.ad"):
        with pytest.raises(DirectoryUnavailable) as caught:
            get_directory().check()
    assert "service account bind refused" in caught.value.detail
    assert any("could not bind" in r.getMessage() for r in caplog.records)


def test_stopped_directory_is_unavailable_and_the_backend_reconnects_after_restart(
    ad_directory, samba_dc, user
):
    ad_directory.check()  # the service connection is open
    samba_dc.stop()
    try:
        with pytest.raises(DirectoryUnavailable):
            ad_directory.find_user(user["username"])
    finally:
        samba_dc.start()
    assert ad_directory.find_user(user["username"]).guid == user["guid"]
    assert ad_directory.authenticate(user["username"], PASSWORD).guid == user["guid"]


def test_service_connection_is_reused_across_calls(ad_directory, user):
    ad_directory.find_user(user["username"])
    first = ad_directory.service._conn
    ad_directory.find_user(user["username"])
    ad_directory.check()
    assert ad_directory.service._conn is first


def test_password_policy_reads_the_domain_policy(ad_directory):
    assert ad_directory.password_policy() == PasswordPolicy(
        min_length=7,
        complexity=True,
        history_length=24,
        lockout_threshold=3,
        lockout_duration_seconds=30 * 60,
        max_age_days=0,
        min_age_days=0,
    )


def test_password_policy_follows_a_changed_domain_policy(ad_directory, samba_dc):
    with samba_dc.policy(min_pwd_length=10, complexity=False, max_pwd_age=90, min_pwd_age=1):
        policy = get_directory().password_policy()
    assert (policy.min_length, policy.complexity) == (10, False)
    assert (policy.max_age_days, policy.min_age_days) == (90, 1)


def test_backend_reconnects_by_itself_after_a_restart_while_idle(ad_directory, samba_dc, user):
    ad_directory.check()  # the service connection is open
    samba_dc.stop()
    samba_dc.start()
    assert ad_directory.find_user(user["username"]).guid == user["guid"]


def test_threads_share_the_service_connection_safely(ad_directory, samba_dc):
    from concurrent.futures import ThreadPoolExecutor

    names = [samba_dc.unique("thr") for _ in range(6)]
    for name in names:
        samba_dc.create_user(name, PASSWORD)
    ad_directory.check()
    shared = ad_directory.service._conn
    with ThreadPoolExecutor(max_workers=6) as pool:
        found = list(pool.map(lambda n: ad_directory.find_user(n).username, names * 5))
    assert found == names * 5
    assert ad_directory.service._conn is shared


class SilentServer(str):
    """A TCP port that accepts connections and never says a word (a hung DC).
    The string is its ldaps:// URL; ``connections()`` counts who came."""

    def connections(self) -> int:
        self.listener.setblocking(False)
        while True:
            try:
                conn, _addr = self.listener.accept()
            except BlockingIOError:
                return self.seen
            self.accepted.append(conn)
            self.seen += 1


@pytest.fixture
def silent_server():
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    server = SilentServer(f"ldaps://127.0.0.1:{listener.getsockname()[1]}")
    server.listener, server.accepted, server.seen = listener, [], 0
    yield server
    for conn in server.accepted:
        conn.close()
    listener.close()


def test_server_that_never_answers_times_out_as_unavailable(settings, ad_directory, silent_server):
    settings.LDAP_TIMEOUT = 1
    settings.LDAP_URLS = [silent_server]
    with pytest.raises(DirectoryUnavailable) as caught:
        get_directory().check()
    assert "timed out" in caught.value.detail


def test_server_that_never_answers_is_skipped_for_the_next(
    settings, ad_directory, samba_dc, silent_server, user
):
    settings.LDAP_TIMEOUT = 1
    settings.LDAP_URLS = [silent_server, samba_dc.url]
    assert get_directory().authenticate(user["username"], PASSWORD).guid == user["guid"]


def test_a_hung_first_dc_costs_the_connect_timeout_once_for_every_process(
    settings, ad_directory, samba_dc, silent_server, user, capsys
):
    """A DC that accepts TCP and never answers (not even the TLS handshake) is
    given LDAP_CONNECT_TIMEOUT, not LDAP_TIMEOUT, and then skipped by every
    process for the back-off: the mark is in the shared cache."""
    from django.core.cache import cache

    from identity.directory import reset_directory

    settings.LDAP_TIMEOUT = 5
    settings.LDAP_CONNECT_TIMEOUT = 1
    settings.LDAP_URLS = [silent_server, samba_dc.url]
    cache.delete(f"ldap-server-down:{silent_server}")
    timings = []
    for _process in range(3):
        reset_directory()  # a new backend shares nothing with the last but the cache
        started = time.monotonic()
        assert get_directory().authenticate(user["username"], PASSWORD).guid == user["guid"]
        timings.append(time.monotonic() - started)
    # Only the first login of the first process went to the hung DC.
    assert silent_server.connections() == 1
    with capsys.disabled():
        print(
            "\nlogin with a hung first DC (LDAP_CONNECT_TIMEOUT=1, LDAP_TIMEOUT=5): "
            + ", ".join(f"{t:.2f} s" for t in timings)
        )


def test_the_back_off_ends_and_the_first_dc_is_tried_again(
    settings, ad_directory, samba_dc, silent_server, user
):
    from django.core.cache import cache

    from identity.directory import reset_directory

    settings.LDAP_CONNECT_TIMEOUT = 1
    settings.LDAP_SERVER_BACKOFF_SECONDS = 1
    settings.LDAP_URLS = [silent_server, samba_dc.url]
    cache.delete(f"ldap-server-down:{silent_server}")
    get_directory().authenticate(user["username"], PASSWORD)
    assert silent_server.connections() == 1
    time.sleep(1.5)
    reset_directory()
    get_directory().authenticate(user["username"], PASSWORD)
    assert silent_server.connections() == 2
