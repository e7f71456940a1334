"""Server settings (command-line flags map onto these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from server.hub_link.config import HubLinkConfig
from server.notify.config import NotificationConfig

DEFAULT_PORT = 8787
DEFAULT_DATA_DIR = Path("rinda-data")
DEFAULT_SESSION_IDLE = timedelta(minutes=30)
"""Reauthentication after 30 minutes of inactivity: NIST SP 800-63B, section 4.2.3 (AAL2)."""
DEFAULT_SESSION_LIFETIME = timedelta(hours=12)
"""Reauthentication at least once per 12 hours: NIST SP 800-63B, section 4.2.3 (AAL2);
also one working day."""


@dataclass(frozen=True)
class BackupSchedule:
    """Backups the server makes by itself (`rinda server --backup-to DIR`)."""

    directory: Path
    every: timedelta = timedelta(hours=24)
    """A backup is due this long after the newest one in `directory`."""
    keep: int = 14
    check_seconds: float = 60.0
    """How often the server looks whether a backup is due (seconds)."""


@dataclass(frozen=True)
class ServerConfig:
    """How one centre server runs."""

    data_dir: Path = DEFAULT_DATA_DIR
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    catalogue_path: Path | None = None
    """None: the bundled demo catalogue."""
    heartbeat_seconds: float = 15.0
    housekeeping_seconds: float = 30.0
    advertise: bool = True
    advertise_interfaces: tuple[str, ...] = ()
    """Interfaces (addresses) for zeroconf; empty means all."""
    max_body_bytes: int = 64 * 1024
    public_url: str = ""
    """How terminals and QR codes reach this server, e.g. `http://kac.local:8787`."""
    status_lookups_per_minute: int = 10
    retention_days: int = 90
    registration_prefix: str = "KAC"
    session_idle: timedelta = DEFAULT_SESSION_IDLE
    """A sign-in session ends after this long without use."""
    session_lifetime: timedelta = DEFAULT_SESSION_LIFETIME
    """A sign-in session ends this long after it began, however much it is used."""
    credential_check_seconds: float = 2.0
    """How often open event streams have their credential checked again (seconds)."""
    log_check_seconds: float = 1.0
    """How often the event log is read for events another process appended (an admin
    command at the command line), to hand them on to live streams (seconds)."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks (CIDR) of reverse proxies whose `X-Forwarded-For` and
    `X-Forwarded-Proto` headers are believed; empty means none."""
    hub: HubLinkConfig | None = None
    """Where to ship the event log (`rinda server --hub URL --hub-token T`); None: nowhere."""
    notifications: NotificationConfig = field(default_factory=NotificationConfig)
    """E-mail and SMS senders (`rinda server --notifications FILE`); none by default."""
    bookings_per_minute: int = 10
    """Slot holds and confirmations one address may make per minute on the public
    booking page (against bots)."""
    tls: bool = False
    """Serve HTTPS only, with the centre's own CA (`server.tls`); terminals pin it."""
    tls_names: tuple[str, ...] = ()
    """Names and addresses the server certificate carries besides this machine's own."""
    backup: BackupSchedule | None = None
    """Scheduled backups; None: only `rinda backup` makes them."""
