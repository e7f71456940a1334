"""Hub settings (command-line flags map onto these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from server.config import DEFAULT_SESSION_IDLE, DEFAULT_SESSION_LIFETIME

DEFAULT_PORT = 8788
DATABASE_ENV = "RINDA_HUB_DATABASE"
"""Environment variable holding the DSN (keeps a password out of the process list)."""


@dataclass(frozen=True)
class HubConfig:
    """How the hub runs."""

    database: str
    """libpq connection string or URI of the hub's PostgreSQL database."""
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    max_body_bytes: int = 8 * 1024 * 1024
    """A batch of 2000 events is about 2.5 MB."""
    pool_size: int = 10
    ingest_concurrency: int = 4
    """Batches read and stored at once; more wait their turn (as bytes)."""
    pool_timeout: float = 10.0
    """Longest wait for a database connection before a request is answered 503."""
    heartbeat_seconds: float = 15.0
    """How often an idle event stream sends a comment line (so proxies keep it open)."""
    tls_cert: Path | None = None
    """Serve HTTPS with this certificate (PEM, with its chain); None: plain HTTP (e.g.
    behind a reverse proxy that terminates TLS)."""
    tls_key: Path | None = None
    timezone: str = "Europe/Riga"
    """The network's time zone: pages show times in it, and "this quarter" is its
    quarter (each centre's visits still count on the centre's own local days)."""
    session_idle: timedelta = DEFAULT_SESSION_IDLE
    """A sign-in session ends after this long without use (as at a centre)."""
    application_retention: timedelta = timedelta(days=90)
    """How long after it is answered or rejected a forwarded application keeps its
    personal fields (as a centre's `retention_days`)."""
    housekeeping_seconds: float = 3600.0
    """How often the hub runs its retention purge."""
    session_lifetime: timedelta = DEFAULT_SESSION_LIFETIME
    """A sign-in session ends this long after it began, however much it is used."""
