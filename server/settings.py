"""`rinda server` settings: a TOML file (`--config`) whose keys are the flags' names,
overridden by the flags, read by the one settings reader (`core.settings`).

    data_dir = "/var/lib/rinda"
    catalogue = "/etc/rinda/centre.toml"
    host = "0.0.0.0"
    port = 8787
    public_url = "https://rinda.ozolkalns.example.lv"
    advertise = true
    advertise_on = ["192.168.10.5"]
    retention_days = 90
    registration_prefix = "KAC"
    session_idle_minutes = 30
    session_lifetime_hours = 12
    trusted_proxy = ["127.0.0.1"]
    hub = "https://hub.example.lv:8788"
    hub_token = "..."               # or $RINDA_HUB_TOKEN
    hub_ca = "/etc/rinda/hub-ca.pem"
    tls = true
    tls_name = ["rinda.ozolkalns.lan"]
    backup_to = "/var/backups/rinda"
    backup_every_hours = 24
    backup_keep = 14
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from core.settings import POSITIVE, between
from server.config import (
    DEFAULT_DATA_DIR,
    DEFAULT_PORT,
    DEFAULT_SESSION_IDLE,
    DEFAULT_SESSION_LIFETIME,
    BackupSchedule,
    ServerConfig,
)
from server.hub_link.config import HubLinkConfig
from server.notify.config import NotificationConfig, load_notifications
from server.public_url import normalize_public_url


@dataclass(frozen=True)
class ServerSettings:
    """What an operator sets for `rinda server` (the file's keys, the flags' names)."""

    data_dir: Path = DEFAULT_DATA_DIR
    catalogue: Path | None = None
    """None: the bundled demo catalogue."""
    host: str = "0.0.0.0"
    port: int = field(default=DEFAULT_PORT, metadata=between(1, 65535))
    public_url: str = ""
    advertise: bool = True
    advertise_on: tuple[str, ...] = ()
    retention_days: int = field(default=90, metadata=between(1, 36_500, "days"))
    registration_prefix: str = "KAC"
    session_idle_minutes: float = DEFAULT_SESSION_IDLE.total_seconds() / 60
    """At least 1, and no longer than the lifetime (checked by `server_config`)."""
    session_lifetime_hours: float = field(
        default=DEFAULT_SESSION_LIFETIME.total_seconds() / 3600, metadata=POSITIVE
    )
    trusted_proxy: tuple[str, ...] = ()
    hub: str | None = None
    hub_token: str | None = None
    hub_ca: Path | None = None
    notifications: Path | None = None
    """The notifications settings file (SMTP server, SMS gateway; `server.notify.config`)."""
    tls: bool = False
    tls_name: tuple[str, ...] = ()
    backup_to: Path | None = None
    backup_every_hours: float = field(default=24.0, metadata=between(0.25, 24 * 31, "hours"))
    backup_keep: int = field(default=14, metadata=between(1, 10_000))


def server_config(settings: ServerSettings) -> ServerConfig:
    """The running configuration; `ValueError` names the setting that does not fit (one
    line, as the command line shows it)."""
    if not 1 <= settings.session_idle_minutes <= settings.session_lifetime_hours * 60:
        raise ValueError(
            "--session-idle-minutes must be at least 1 and no longer than the session lifetime"
        )
    if not settings.registration_prefix.strip():
        raise ValueError("--registration-prefix must not be empty")
    proxies = trusted_proxies(settings.trusted_proxy)
    public_url = normalize_public_url(settings.public_url) if settings.public_url else ""
    return ServerConfig(
        data_dir=settings.data_dir,
        host=settings.host,
        port=settings.port,
        catalogue_path=settings.catalogue,
        advertise=settings.advertise,
        advertise_interfaces=settings.advertise_on,
        public_url=public_url,
        retention_days=settings.retention_days,
        registration_prefix=settings.registration_prefix,
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        session_lifetime=timedelta(hours=settings.session_lifetime_hours),
        trusted_proxies=proxies,
        hub=hub_link(settings),
        notifications=(
            load_notifications(settings.notifications)
            if settings.notifications is not None
            else NotificationConfig()
        ),
        tls=settings.tls,
        tls_names=tuple(name.strip() for name in settings.tls_name if name.strip()),
        backup=None
        if settings.backup_to is None
        else BackupSchedule(
            settings.backup_to,
            every=timedelta(hours=settings.backup_every_hours),
            keep=settings.backup_keep,
        ),
    )


def hub_link(settings: ServerSettings) -> HubLinkConfig | None:
    """Where to ship the event log, if anywhere (the token may come from
    `$RINDA_HUB_TOKEN`, so it need not be written in a file)."""
    if not settings.hub:
        return None
    token = settings.hub_token or os.environ.get("RINDA_HUB_TOKEN", "")
    if not token:
        raise ValueError("--hub needs --hub-token (or $RINDA_HUB_TOKEN)")
    if not settings.hub.startswith(("http://", "https://")):
        raise ValueError("--hub must be an http:// or https:// URL")
    if settings.hub_ca is not None and not settings.hub_ca.is_file():
        raise ValueError(f"--hub-ca: no file {settings.hub_ca}")
    return HubLinkConfig(settings.hub, token, settings.hub_ca)


def trusted_proxies(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--trusted-proxy` values as networks; `ValueError` names one that is not an
    address or a network (uvicorn would silently never match it)."""
    networks = []
    for value in values:
        try:
            networks.append(str(ipaddress.ip_network(value.strip(), strict=False)))
        except ValueError:
            raise ValueError(
                f"--trusted-proxy {value!r} is not an IP address or network (CIDR)"
            ) from None
    return tuple(networks)
