"""The centre's own certificate authority and the server's TLS certificate.

At its first start with TLS on, the server makes a certificate authority (an
ECDSA P-256 key and a self-signed CA certificate, valid 20 years) and a server
certificate signed by it (valid 825 days, the longest a browser accepts; see
Apple's rule of 2019 and the CA/Browser Forum baseline requirements), in the
data directory's `tls/`:

    tls/ca.pem        the CA certificate: terminals pin it when paired
    tls/ca.key        the CA's private key (0600): never leaves the server
    tls/server.pem    the server's certificate, then the CA certificate (the chain)
    tls/server.key    the server's private key (0600)

The server certificate names this machine (its host name, `<host>.local`,
`localhost`, its addresses) and any `tls_names` configured; it is made again,
by the same CA, when a name is missing or it has less than 30 days left, so
paired terminals never notice. Terminals pin the CA, not the server
certificate (see `terminal.tls`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.discovery import advertised_addresses

CA_LIFETIME = timedelta(days=20 * 365)
SERVER_LIFETIME = timedelta(days=825)
"""The longest validity browsers accept for a server certificate (CA/Browser Forum
Baseline Requirements 6.3.2 as of 2018; Chromium enforces it for private CAs too)."""
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class ServerTls:
    """The files uvicorn serves with, and what terminals pin."""

    ca_file: Path
    cert_file: Path
    key_file: Path
    ca_fingerprint: str
    """SHA-256 of the CA certificate (DER), lowercase hex."""


def fingerprint(pem: bytes) -> str:
    """SHA-256 of a PEM certificate's DER encoding, lowercase hex (what is pinned)."""
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def machine_names(host: str = "0.0.0.0") -> tuple[str, ...]:
    """The names and addresses terminals and browsers may reach this machine by."""
    hostname = socket.gethostname()
    names = {hostname, f"{hostname}.local", "localhost", "127.0.0.1"}
    names.update(advertised_addresses(host, ()))
    return tuple(sorted(names))


def ensure_server_tls(
    data_dir: Path, names: tuple[str, ...], now: datetime, centre_name: str = "Rinda"
) -> ServerTls:
    """The CA and server certificate in `data_dir/tls`, made or renewed as needed."""
    directory = data_dir / "tls"
    directory.mkdir(mode=0o700, exist_ok=True)
    ca_file, ca_key_file = directory / "ca.pem", directory / "ca.key"
    cert_file, key_file = directory / "server.pem", directory / "server.key"
    if not (ca_file.exists() and ca_key_file.exists()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = _ca_certificate(ca_key, centre_name, now)
        _write_key(ca_key_file, ca_key)
        _write(ca_file, ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)
        cert_file.unlink(missing_ok=True)
    ca_pem = ca_file.read_bytes()
    ca_cert = x509.load_pem_x509_certificate(ca_pem)
    if _needs_new_server_certificate(cert_file, names, now):
        loaded = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)
        assert isinstance(loaded, ec.EllipticCurvePrivateKey)
        server_key = ec.generate_private_key(ec.SECP256R1())
        cert = _server_certificate(server_key, ca_cert, loaded, names, now)
        _write_key(key_file, server_key)
        _write(cert_file, cert.public_bytes(serialization.Encoding.PEM) + ca_pem, 0o644)
    return ServerTls(ca_file, cert_file, key_file, fingerprint(ca_pem))


def _needs_new_server_certificate(cert_file: Path, names: tuple[str, ...], now: datetime) -> bool:
    if not cert_file.exists():
        return True
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    if cert.not_valid_after_utc - now < RENEW_BEFORE:
        return True
    alternative = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    present = {str(v) for v in alternative.get_values_for_type(x509.DNSName)}
    present |= {str(v) for v in alternative.get_values_for_type(x509.IPAddress)}
    return not set(names) <= present


def _ca_certificate(
    key: ec.EllipticCurvePrivateKey, centre: str, now: datetime
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Rinda CA {centre}"[:64])])
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _server_certificate(
    key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    names: tuple[str, ...],
    now: datetime,
) -> x509.Certificate:
    alternative: list[x509.GeneralName] = []
    for name in names:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0][:64])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + SERVER_LIFETIME)
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(path, pem, 0o600)


def _write(path: Path, content: bytes, mode: int) -> None:
    """Write under a temporary name, then rename: a crash leaves the old file or the new."""
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(partial, mode)
    os.replace(partial, path)
