"""Pairing a terminal with its server, and talking to it over TLS with the CA pinned.

    PairingError (a ClientError)   pairing cannot go on: the server refused it, the
                                   request expired, the CA is not the expected one,
                                   or TLS is off on the server

A paired terminal trusts exactly one certificate authority, the centre server's
own (`server.tls`), for every connection: REST calls and the event stream. The
server's name is not checked against its certificate (terminals reach it by an
address zeroconf or DHCP may change); the pinned CA signs nothing but that
server's certificate, so a certificate it did not sign, from a man in the middle
or another centre's server, is refused.

Two ways to pin it:
- by code (`pair_by_code`): the terminal fetches the CA it is offered, shows the
  code `core.pairing` derives from it and waits while an admin compares that code
  with the console's and confirms; it then collects its new device token;
- with a token an admin already made (`pin_by_fingerprint`): the admin gives the
  CA fingerprint (`rinda tls fingerprint` on the server) with the token.
"""

from __future__ import annotations

import hashlib
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.pairing import NONCE_BYTES, pairing_code
from core.wire.codec import decode
from core.wire.payloads import (
    CertificateAuthorityView,
    PairingRequestView,
    PairingStateView,
    PrincipalView,
)
from terminal.client import (
    API_PREFIX,
    ApiError,
    ClientError,
    RindaClient,
    Unreachable,
    decoded,
)

POLL_SECONDS = 1.0


class PairingError(ClientError):
    """Pairing cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Paired:
    """What a paired terminal keeps: its token and the CA it trusts."""

    token: str
    ca_pem: str
    name: str


def pinned_context(ca_file: Path | str) -> ssl.SSLContext:
    """A TLS client context that trusts only the CA in `ca_file` (PEM)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False  # see the module docstring
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=str(ca_file))
    return context


def _pinned_from_text(ca_pem: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=ca_pem)
    return context


def ca_fingerprint(ca_pem: str) -> str:
    """SHA-256 of a PEM certificate's DER bytes, lowercase hex (as `server.tls` gives it)."""
    der = ssl.PEM_cert_to_DER_cert(ca_pem)
    return hashlib.sha256(der).hexdigest()


def offered_ca(server_url: str, timeout: float = 5.0) -> str:
    """The CA certificate the server at `server_url` offers, fetched WITHOUT verifying
    the connection (there is nothing to verify it with yet): trust it only after the
    code or the fingerprint matches."""
    if not server_url.startswith("https://"):
        raise PairingError(f"{server_url}: pairing needs an https:// server (rinda server --tls)")
    try:
        response = httpx.get(
            f"{server_url.rstrip('/')}{API_PREFIX}/pairing/ca", verify=False, timeout=timeout
        )
    except httpx.TransportError as exc:
        raise Unreachable(f"{server_url}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code == 404:
        raise PairingError(f"{server_url} does not use TLS: start it with --tls")
    response.raise_for_status()
    try:
        return decode(CertificateAuthorityView, response.json()).ca
    except ValueError as exc:  # not JSON, or not the answer this program reads
        raise PairingError(f"{server_url}: not a Rinda server's CA answer: {exc}") from exc


def pin_by_fingerprint(server_url: str, token: str, fingerprint: str) -> Paired:
    """Pin the server's CA when its fingerprint is `fingerprint` (hex, `:` allowed), and
    check that `token` is accepted over the pinned connection."""
    wanted = fingerprint.replace(":", "").strip().lower()
    ca_pem = offered_ca(server_url)
    if ca_fingerprint(ca_pem) != wanted:
        raise PairingError(
            f"{server_url} offers a CA with fingerprint {ca_fingerprint(ca_pem)}, "
            f"not {wanted}: not the centre's server (or the fingerprint is mistyped)"
        )
    client = RindaClient(server_url, token, verify=_pinned_from_text(ca_pem))
    try:
        me = decoded(PrincipalView, client.get("/session"))
    except ApiError as exc:
        raise PairingError(f"the server refused the token: {exc.message}") from exc
    finally:
        client.close()
    return Paired(token=token, ca_pem=ca_pem, name=me.username)


def pair_by_code(
    server_url: str,
    name: str,
    role: str,
    show_code: Callable[[str], None],
    *,
    counter_id: str | None = None,
    timeout: float = 900.0,
    poll: float = POLL_SECONDS,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Paired:
    """Ask to be paired as `name` (`role`), show the code (`show_code`, once) and wait
    until an admin confirms or refuses in the console, or `timeout` seconds pass.
    Raises `PairingError` when refused or expired, `Unreachable` when the server is gone."""
    ca_pem = offered_ca(server_url)
    nonce = secrets.token_hex(NONCE_BYTES)
    client = RindaClient(server_url, verify=_pinned_from_text(ca_pem))
    try:
        created = decoded(
            PairingRequestView,
            client.post(
                "/pairings",
                {"name": name, "role": role, "counter_id": counter_id, "nonce": nonce},
            ),
        )
        show_code(pairing_code(nonce, ca_fingerprint(ca_pem)))
        deadline = monotonic() + timeout
        while True:
            try:
                state = decoded(
                    PairingStateView,
                    client.post(f"/pairings/{created.id}/collect", {"secret": created.secret}),
                )
            except ApiError as exc:
                if exc.code == "unknown_pairing":
                    raise PairingError("the pairing request expired: start again") from exc
                raise
            if state.state == "confirmed" and state.token is not None:
                return Paired(token=state.token, ca_pem=ca_pem, name=state.name)
            if state.state != "pending":
                raise PairingError(f"the pairing request was {state.state} in the console")
            if monotonic() > deadline:
                raise PairingError("no admin confirmed the pairing in time: start again")
            sleep(poll)
    finally:
        client.close()
