"""A durable outbox for what a terminal must deliver to the server exactly once
(applications lodged at the kiosk, ratings given at a feedback terminal).

Each entry is one JSON file named by its idempotency key, written to a
temporary name, flushed to disk and renamed into place (and the directory
flushed), so after a crash a file is either complete or absent. The file is
written *before* the first attempt to send, and removed only after the server
has acknowledged it; a resend after a restart uses the same key, so the server
returns what it already stored instead of storing a second one.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class OutboxEntry:
    """One request body waiting to be (or being) sent."""

    key: str
    body: dict[str, Any]

    @property
    def reference(self) -> str:
        """An application's short reference given to the visitor (sent to the server)."""
        return str(self.body.get("kiosk_reference", ""))


def new_reference() -> str:
    """Eight characters, easy to read out and type (no 0/O, 1/I)."""
    raw = uuid.uuid4().int
    chars = []
    for _ in range(8):
        raw, index = divmod(raw, len(REFERENCE_ALPHABET))
        chars.append(REFERENCE_ALPHABET[index])
    return "".join(chars)


class Outbox:
    """A directory of pending request bodies."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.failed_directory = directory / "refused"
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, body: dict[str, Any]) -> OutboxEntry:
        """Store a request body durably; the entry's key is its idempotency key."""
        entry = OutboxEntry(uuid.uuid4().hex, dict(body))
        target = self.directory / f"{entry.key}.json"
        temporary = self.directory / f".{entry.key}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"key": entry.key, "body": entry.body}, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        self._sync_directory()
        return entry

    def pending(self) -> list[OutboxEntry]:
        """Entries not yet acknowledged, oldest first."""
        entries = []
        paths = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for path in paths:
            try:
                data = json.loads(path.read_text("utf-8"))
                entries.append(OutboxEntry(str(data["key"]), dict(data["body"])))
            except (OSError, ValueError, KeyError):
                continue  # a file being replaced right now; seen next time
        return entries

    def remove(self, entry: OutboxEntry) -> None:
        """The server acknowledged the entry."""
        (self.directory / f"{entry.key}.json").unlink(missing_ok=True)
        self._sync_directory()

    def set_aside(self, entry: OutboxEntry, reason: str) -> None:
        """The server refused the entry for good: keep it for staff, never drop it."""
        self.failed_directory.mkdir(exist_ok=True)
        data = {"key": entry.key, "body": entry.body, "reason": reason}
        (self.failed_directory / f"{entry.key}.json").write_text(
            json.dumps(data, ensure_ascii=False), "utf-8"
        )
        self.remove(entry)

    def _sync_directory(self) -> None:
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
