"""The load generators' HTTP client: a small raw HTTP/1.1 client, so that the client's
own overhead stays low (it shares the machine's cores with the server under test)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from core.histogram import percentile


class Connection:
    """A keep-alive HTTP/1.1 connection that sends JSON and reads JSON."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter

    async def open(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def post(self, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """POST `body` as JSON to `/api/v1{path}`: (status, decoded answer or None)."""
        payload = json.dumps(body).encode() if body is not None else b""
        self.writer.write(
            (
                f"POST /api/v1{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        data = await self.reader.readexactly(length) if length else b""
        return status, json.loads(data) if data else None

    def close(self) -> None:
        self.writer.close()


def milliseconds(seconds: list[float], share: float) -> float | None:
    """A percentile of durations in seconds, in milliseconds (None for no durations)."""
    return round(percentile(seconds, share) * 1000, 2) if seconds else None
