"""A TCP proxy on 127.0.0.1 standing for the network between a centre and its hub.

Modes (a change cuts the connections open at the time, as a real outage would):
- `pass`: everything goes through;
- `stall`: connections are accepted but no byte passes either way (a link that
  "works" but carries nothing, e.g. a dead NAT mapping or a hung middlebox);
- `no_answer`: requests reach the hub, its answers are thrown away.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading

MODES = ("pass", "stall", "no_answer")


class LinkProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._mode = "pass"
        self.connections = 0
        self.stalled = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Switch mode and cut every open connection."""
        assert mode in MODES
        with self._lock:
            self._mode = mode
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _track(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._open.update(sockets)

    def _forget(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._open.difference_update(sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _serve(self, client: socket.socket) -> None:
        with self._lock:
            mode = self._mode
            self.connections += 1
        self._track(client)
        if mode == "stall":
            self.stalled += 1
            with contextlib.suppress(OSError):
                while client.recv(65536):  # swallow, never answer, until cut
                    pass
            self._forget(client)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            self._forget(client)
            return
        self._track(upstream)
        done = threading.Event()

        def pump(source: socket.socket, target: socket.socket, deliver: bool) -> None:
            try:
                while chunk := source.recv(65536):
                    if deliver:
                        target.sendall(chunk)
            except OSError:
                pass
            finally:
                done.set()

        threads = [
            threading.Thread(target=pump, args=(client, upstream, True), daemon=True),
            threading.Thread(target=pump, args=(upstream, client, mode == "pass"), daemon=True),
        ]
        for thread in threads:
            thread.start()
        done.wait()
        self._forget(client, upstream)

    def __enter__(self) -> LinkProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.set_mode("pass")
        self._server.shutdown()
        self._server.server_close()
