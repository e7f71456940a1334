"""Telling systemd how the server is: ready, stopping, and alive (its watchdog).

The notification protocol of sd_notify(3): one datagram of `KEY=VALUE` lines to
the Unix socket named by `$NOTIFY_SOCKET` (a leading `@` names an abstract
socket). Without `$NOTIFY_SOCKET` (not started by systemd) nothing is sent. The
watchdog interval is `$WATCHDOG_USEC`; systemd restarts the service when no
`WATCHDOG=1` arrives within it, so the server pings at half of it, from its event
loop, and only while its writer thread answers: a hung loop or a stuck writer
both stop the pings.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def notify(message: str) -> bool:
    """Send `message` (e.g. `READY=1`) to systemd; False when not run by systemd."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        try:
            sock.connect(address)
            sock.sendall(message.encode())
        except OSError as exc:
            log.warning("telling systemd %r failed: %s", message, exc)
            return False
    return True


def watchdog_interval() -> float | None:
    """Seconds between pings (half the watchdog's timeout), or None without a watchdog
    for this process (`$WATCHDOG_PID`, when set, must be ours)."""
    usec = os.environ.get("WATCHDOG_USEC", "")
    pid = os.environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 1_000_000 / 2


async def watchdog_loop(alive: Callable[[], Awaitable[bool]], interval: float) -> None:
    """Ping every `interval` seconds while `alive()` says so."""
    while True:
        try:
            healthy = await asyncio.wait_for(alive(), timeout=interval)
        except TimeoutError:
            healthy = False
        if healthy:
            notify("WATCHDOG=1")
        else:
            log.error("the server does not answer itself: not telling the watchdog it is alive")
        await asyncio.sleep(interval)
