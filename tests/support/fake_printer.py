"""A fake ESC/POS network printer on 127.0.0.1 that records bytes and answers status queries."""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass, field

HEALTHY = {4: 0x12, 1: 0x12}
BEHAVIOURS = {
    "healthy": HEALTHY,
    "near_end": {4: 0x1E, 1: 0x12},
    "paper_out": {4: 0x72, 1: 0x1A},
    "offline": {4: 0x12, 1: 0x1A},
    "silent": {},
    "stuck": {},
}


@dataclass
class FakeNetworkPrinter:
    """`with FakeNetworkPrinter("paper_out") as printer: ... printer.port, printer.jobs`."""

    behaviour: str = "healthy"
    jobs: list[bytes] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                if fake.behaviour == "stuck":
                    # Accepts the connection but never reads: the sender's buffers fill up.
                    fake.release.wait(10)
                    return
                received = bytearray()
                answers = BEHAVIOURS[fake.behaviour]
                self.request.settimeout(10)
                while True:
                    try:
                        chunk = self.request.recv(65536)
                    except (TimeoutError, OSError):
                        break
                    if not chunk:
                        break
                    received += chunk
                    index = chunk.find(b"\x10\x04")
                    while index != -1 and index + 2 < len(chunk):
                        kind = chunk[index + 2]
                        fake.queries.append(kind)
                        if kind in answers:
                            self.request.sendall(bytes([answers[kind]]))
                        index = chunk.find(b"\x10\x04", index + 3)
                fake.jobs.append(bytes(received))

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.release = threading.Event()
        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def spec_address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> FakeNetworkPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def printed(self) -> bytes:
        """Everything received that was more than status queries."""
        return b"".join(
            job
            for job in self.jobs
            if job.replace(b"\x10\x04\x04", b"").replace(b"\x10\x04\x01", b"")
        )

    def wait_for_jobs(self, count: int, timeout: float = 5) -> None:
        import time

        deadline = time.monotonic() + timeout
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.01)


def closed_port() -> int:
    """A loopback port where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
