"""Finding the centre server on the LAN with zeroconf (`_rinda._tcp.local.`).

The server advertises itself with TXT properties `api` (API version),
`centre` (the centre's name) and `path` (`/api/v1`), and with TLS on `tls=1`
(terminals then use `https://`) and `ca` (the CA fingerprint's beginning). Terminals browse for it
and fall back to a manually configured URL when multicast is blocked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Sequence
from dataclasses import dataclass

import zeroconf
from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

log = logging.getLogger(__name__)
get_all_addresses = zeroconf.get_all_addresses  # type: ignore[attr-defined]  # public, not in __all__

SERVICE_TYPE = "_rinda._tcp.local."
API_VERSION = "1"


@dataclass(frozen=True)
class FoundServer:
    """A Rinda server seen on the network."""

    instance: str
    url: str
    centre: str
    api_version: str
    addresses: tuple[str, ...]


def _interfaces(interfaces: Sequence[str]) -> list[str] | object:
    from zeroconf import InterfaceChoice

    return list(interfaces) if interfaces else InterfaceChoice.All


def advertised_addresses(host: str, interfaces: Sequence[str]) -> list[str]:
    """The IPv4 addresses to put in the advertisement."""
    if interfaces:
        return list(interfaces)
    if host not in ("0.0.0.0", "", "::"):
        return [host]
    addresses = [a for a in get_all_addresses() if not ipaddress.ip_address(a).is_loopback]
    return addresses or ["127.0.0.1"]


class Advertiser:
    """Registers the server's service record while the server runs."""

    def __init__(
        self,
        centre_name: str,
        port: int,
        *,
        host: str = "0.0.0.0",
        interfaces: Sequence[str] = (),
        instance: str | None = None,
        ca_fingerprint: str | None = None,
    ) -> None:
        self.centre_name = centre_name
        self.ca_fingerprint = ca_fingerprint
        self.port = port
        self.host = host
        self.interfaces = tuple(interfaces)
        self.instance = instance or f"Rinda {socket.gethostname()}"
        self._zeroconf: AsyncZeroconf | None = None
        self._info: AsyncServiceInfo | None = None

    async def start(self) -> None:
        """Announce the service (takes ~1.6 s of probing; call once at start-up)."""
        addresses = advertised_addresses(self.host, self.interfaces)
        self._zeroconf = AsyncZeroconf(
            interfaces=_interfaces(self.interfaces),  # type: ignore[arg-type]
            ip_version=IPVersion.V4Only,
        )
        self._info = AsyncServiceInfo(
            SERVICE_TYPE,
            f"{self.instance}.{SERVICE_TYPE}",
            addresses=[socket.inet_aton(a) for a in addresses],
            port=self.port,
            properties=self.properties(),
            server=f"{socket.gethostname()}.local.",
        )
        await self._zeroconf.async_register_service(self._info, allow_name_change=True)
        log.info("advertised %s on %s port %s", SERVICE_TYPE, addresses, self.port)

    def properties(self) -> dict[str, str]:
        """The TXT record: `api`, `centre`, `path`; with TLS also `tls=1` and `ca` (the
        first 16 hex digits of the CA's fingerprint, to tell centres apart; trust comes
        from pairing, never from this record)."""
        properties = {"api": API_VERSION, "centre": self.centre_name, "path": "/api/v1"}
        if self.ca_fingerprint:
            properties |= {"tls": "1", "ca": self.ca_fingerprint[:16]}
        return properties

    async def stop(self) -> None:
        """Withdraw the announcement and close the sockets."""
        if self._zeroconf is not None:
            try:
                if self._info is not None:
                    await self._zeroconf.async_unregister_service(self._info)
            finally:
                await self._zeroconf.async_close()
                self._zeroconf = None


async def browse(
    timeout: float = 3.0, interfaces: Sequence[str] = (), centre: str | None = None
) -> list[FoundServer]:
    """Rinda servers answering within `timeout` seconds (optionally only one centre)."""
    found: dict[str, FoundServer] = {}
    names: asyncio.Queue[str] = asyncio.Queue()

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            names.put_nowait(name)

    aiozc = AsyncZeroconf(
        interfaces=_interfaces(interfaces),  # type: ignore[arg-type]
        ip_version=IPVersion.V4Only,
    )
    browser = AsyncServiceBrowser(aiozc.zeroconf, [SERVICE_TYPE], handlers=[on_change])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while (remaining := deadline - loop.time()) > 0:
            try:
                name = await asyncio.wait_for(names.get(), remaining)
            except TimeoutError:
                break
            info = AsyncServiceInfo(SERVICE_TYPE, name)
            if not await info.async_request(aiozc.zeroconf, 1500):
                continue
            server = _found(name, info)
            if server is not None and (centre is None or server.centre == centre):
                found[name] = server
                if centre is not None:
                    break
    finally:
        await browser.async_cancel()
        await aiozc.async_close()
    return sorted(found.values(), key=lambda s: s.instance)


def _found(name: str, info: AsyncServiceInfo) -> FoundServer | None:
    addresses = info.parsed_addresses(IPVersion.V4Only)
    if not addresses or info.port is None:
        return None
    props = {
        (k.decode() if isinstance(k, bytes) else str(k)): (
            v.decode() if isinstance(v, bytes) else ""
        )
        for k, v in info.properties.items()
    }
    path = props.get("path", "/api/v1")
    scheme = "https" if props.get("tls") == "1" else "http"
    base = f"{scheme}://{addresses[0]}:{info.port}"
    return (
        FoundServer(
            instance=name.removesuffix("." + SERVICE_TYPE),
            url=base,
            centre=props.get("centre", ""),
            api_version=props.get("api", ""),
            addresses=tuple(addresses),
        )
        if path
        else None
    )


def find_server_url(
    manual_url: str | None,
    *,
    timeout: float = 3.0,
    interfaces: Sequence[str] = (),
    centre: str | None = None,
) -> str | None:
    """Discover a server by zeroconf; fall back to `manual_url` (blocking; use a worker)."""
    try:
        servers = asyncio.run(browse(timeout, interfaces, centre))
    except OSError as exc:  # no multicast-capable interface, for instance
        log.warning("zeroconf discovery failed: %s", exc)
        servers = []
    if servers:
        return servers[0].url
    return manual_url.rstrip("/") if manual_url else None
