"""``manage.py bankid_simulator``: certificates on first run, then a real server."""

from __future__ import annotations

import io
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.management import call_command

from services.bankid.client import BankIDClient


def _setup(certs_dir: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "bankid_simulator", "--setup-only", "--certs-dir", str(certs_dir), *extra, stdout=out
    )
    return out.getvalue()


def _sans(path: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n.value) for n in names}


def test_first_run_creates_private_certificates_and_prints_the_settings(tmp_path):
    certs = tmp_path / "bankid-sim"
    output = _setup(certs, "--port", "9443")
    assert "BANKID_URL=https://127.0.0.1:9443/rp/v6.0/" in output
    assert f"BANKID_CA={certs / 'ca.pem'}" in output
    assert f"BANKID_CERT={certs / 'rp.pem'}" in output
    assert f"BANKID_KEY={certs / 'rp-key.pem'}" in output
    assert stat.S_IMODE(certs.stat().st_mode) == 0o700
    for key in ("ca-key.pem", "server-key.pem", "rp-key.pem"):
        assert stat.S_IMODE((certs / key).stat().st_mode) == 0o600
    assert {"localhost", "127.0.0.1", "::1"} <= _sans(certs / "server.pem")


def test_later_runs_reuse_the_ca_and_add_host_names(tmp_path):
    certs = tmp_path / "bankid-sim"
    _setup(certs)
    ca, client = (certs / "ca.pem").read_bytes(), (certs / "rp.pem").read_bytes()
    _setup(certs, "--hostname", "bankid-sim.internal")
    assert (certs / "ca.pem").read_bytes() == ca and (certs / "rp.pem").read_bytes() == client
    assert "bankid-sim.internal" in _sans(certs / "server.pem")


def test_the_default_folder_is_under_the_data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("bankid_simulator", "--setup-only", stdout=out)
    assert f"BANKID_CA={tmp_path / 'bankid-sim' / 'ca.pem'}" in out.getvalue()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_command_serves_the_api_over_mutual_tls(tmp_path):
    api_port, phone_port = _free_port(), _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "bankid_simulator",
            "--certs-dir",
            str(tmp_path),
            "--port",
            str(api_port),
            "--phone-port",
            str(phone_port),
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Phone page"):
                break
        assert any(f"127.0.0.1:{phone_port}" in line for line in lines), "".join(lines)
        client = BankIDClient(
            url=f"https://127.0.0.1:{api_port}/rp/v6.0/",
            ca=str(tmp_path / "ca.pem"),
            cert=str(tmp_path / "rp.pem"),
            key=str(tmp_path / "rp-key.pem"),
        )
        order = client.auth("192.0.2.1")
        assert client.collect(order.order_ref).hint_code == "outstandingTransaction"
        client.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
