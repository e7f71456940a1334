"""The server's public address, and the ticket status address derived from it.

Printed tickets carry a QR code that a visitor opens on their phone. Its
address must therefore be one the phone can reach: the server's public URL
(`rinda server --public-url`), never a loopback address, and never one fixed
in the catalogue that stops being right when the server moves.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

from core.catalogue import Catalogue

STATUS_PATH = "/t/{ticket_id}"
"""Where the public ticket page lives (see `server.web.ticket_page`)."""
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
EXAMPLE = "http://kac.example.lv:8787"


def normalize_public_url(url: str) -> str:
    """`scheme://host[:port][/path]` without a trailing slash. Raises `ValueError` with a
    one-line message when `url` is not an http(s) address of a host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--public-url {url!r} is not an address like {EXAMPLE}")
    if parts.query or parts.fragment:
        raise ValueError(f"--public-url {url!r} must not have a query (?) or a fragment (#)")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def is_loopback(url: str) -> bool:
    """Whether `url` points at the machine it is opened on (127.0.0.0/8, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def status_url_template(catalogue: Catalogue, public_url: str, request_base_url: str) -> str:
    """The status page address with a `{ticket_id}` placeholder, as kiosks print it.

    In order: the catalogue's `centre.status_url` (a centre whose status pages are
    served elsewhere), else the server's public URL, else the address this request
    reached the server at (what a kiosk found by zeroconf: right on the centre's LAN).
    """
    if catalogue.centre.status_url:
        return catalogue.centre.status_url
    base = public_url or request_base_url.rstrip("/")
    return base + STATUS_PATH


def start_up_warnings(catalogue: Catalogue, public_url: str) -> list[str]:
    """What an operator should hear at start about the address on printed tickets."""
    if catalogue.centre.status_url:
        if is_loopback(catalogue.centre.status_url):
            return [
                f"the catalogue's centre.status_url {catalogue.centre.status_url} points at "
                "the machine that opens it: phones scanning a ticket's QR code cannot reach it; "
                "remove it from the catalogue and start the server with --public-url"
            ]
        return []
    if not public_url:
        return [
            "--public-url is not set: ticket QR codes carry the address each kiosk uses to "
            f"reach this server; set it to an address phones can open, e.g. {EXAMPLE}"
        ]
    if is_loopback(public_url):
        return [
            f"--public-url {public_url} points at the machine that opens it: phones scanning "
            f"a ticket's QR code cannot reach it; use the address of this server on the "
            f"centre's network, e.g. {EXAMPLE}"
        ]
    return []


def lan_address() -> str | None:
    """This machine's address on the network its default route leads to, or None.
    (Connecting a UDP socket chooses the route and sends nothing.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # any outside address: only the route is looked up
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


def public_url_for(host: str, port: int, lan: str | None) -> str:
    """A public URL for a server listening on `host:port`: on all interfaces, the LAN
    address `lan` if there is one; else the address it listens on."""
    if host in ("0.0.0.0", "::", "") and lan:
        host = lan
    elif host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
