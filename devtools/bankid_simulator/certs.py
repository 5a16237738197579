"""Certificates for the simulator: a local CA, a server certificate for
localhost/127.0.0.1/::1 and an RP client certificate, made with ``cryptography``.

Nothing here is trusted anywhere else: the portal trusts this CA only through
``BANKID_CA`` when it talks to the simulator.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1")
RP_NAME = "Självserviceportalen"


@dataclass(frozen=True)
class SimulatorCerts:
    """Paths of the PEM files in a certificates folder."""

    directory: Path

    @property
    def ca_file(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def ca_key_file(self) -> Path:
        return self.directory / "ca-key.pem"

    @property
    def server_cert_file(self) -> Path:
        return self.directory / "server.pem"

    @property
    def server_key_file(self) -> Path:
        return self.directory / "server-key.pem"

    @property
    def client_cert_file(self) -> Path:
        return self.directory / "rp.pem"

    @property
    def client_key_file(self) -> Path:
        return self.directory / "rp-key.pem"


def ensure_certificates(
    directory: str | os.PathLike[str],
    *,
    hosts: tuple[str, ...] = DEFAULT_HOSTS,
    rp_name: str = RP_NAME,
) -> SimulatorCerts:
    """Create what is missing in ``directory`` (mode 0700; keys 0600) and return
    the paths. Existing files are reused, so the portal's settings stay valid;
    the server certificate is remade when it lacks one of ``hosts`` or expired."""
    certs = SimulatorCerts(Path(directory))
    certs.directory.mkdir(parents=True, exist_ok=True)
    os.chmod(certs.directory, 0o700)
    if not (certs.ca_file.exists() and certs.ca_key_file.exists()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = _build(
            subject=_name("BankID Simulator Local CA (test only)"),
            issuer_key=ca_key,
            issuer_name=None,
            public_key=ca_key.public_key(),
            days=3650,
            ca=True,
        )
        _write_key(certs.ca_key_file, ca_key)
        _write_cert(certs.ca_file, ca_cert)
        # A new CA invalidates everything it signed before.
        for stale in (certs.server_cert_file, certs.client_cert_file):
            stale.unlink(missing_ok=True)
    ca_key = serialization.load_pem_private_key(certs.ca_key_file.read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate(certs.ca_file.read_bytes())
    if not _server_cert_ok(certs.server_cert_file, hosts):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _build(
            subject=_name("BankID Simulator server"),
            issuer_key=ca_key,
            issuer_name=ca_cert.subject,
            public_key=key.public_key(),
            days=825,
            hosts=hosts,
        )
        _write_key(certs.server_key_file, key)
        _write_cert(certs.server_cert_file, cert)
    if not _valid(certs.client_cert_file):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _build(
            subject=_name(f"{rp_name} RP (BankID simulator)", organization=rp_name),
            issuer_key=ca_key,
            issuer_name=ca_cert.subject,
            public_key=key.public_key(),
            days=825,
            client=True,
        )
        _write_key(certs.client_key_file, key)
        _write_cert(certs.client_cert_file, cert)
    return certs


def _name(common_name: str, *, organization: str = "BankID Simulator") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _build(
    *,
    subject: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer_name: x509.Name | None,
    public_key: ec.EllipticCurvePublicKey,
    days: int,
    ca: bool = False,
    hosts: tuple[str, ...] = (),
    client: bool = False,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name or subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    builder = builder.add_extension(usage, critical=True)
    if hosts:
        builder = builder.add_extension(x509.SubjectAlternativeName(_sans(hosts)), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    if client:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _sans(hosts: tuple[str, ...]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _valid(path: Path) -> x509.Certificate | None:
    if not path.exists():
        return None
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    if cert.not_valid_after_utc < dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        return None
    return cert


def _server_cert_ok(path: Path, hosts: tuple[str, ...]) -> bool:
    cert = _valid(path)
    if cert is None:
        return False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    present = {str(n.value) for n in san}
    return all(str(n.value) in present for n in _sans(hosts))


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Created 0600 from the start: a key must never be readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
