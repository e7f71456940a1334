"""How times are stored: aware datetimes as UTC ISO 8601 text (which sorts as time does)."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db_time(moment: datetime) -> str:
    """An aware datetime as stored: UTC ISO 8601."""
    return moment.astimezone(UTC).isoformat()


def parse_time(text: str | None) -> datetime | None:
    """A stored time back to an aware datetime (None stays None)."""
    return datetime.fromisoformat(text) if text else None
