"""A TCP proxy on 127.0.0.1 that can lose the server's answer to the next ticket request,
or let open event streams go silent.

The request reaches the server (which commits the ticket); the answer is thrown
away and the connection closed, as when a network cable is pulled at the worst
moment. Everything else passes through unchanged (including event streams).

`silence_event_streams()` makes every event stream open at that moment pass no
more data either way while staying open, as when a router or firewall forgets a
long-lived connection without telling either end; new connections work.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading


class FlakyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.drop_next_ticket_answer = False
        self.dropped = 0
        self._connections: list[dict[str, bool]] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                client: socket.socket = self.request
                upstream = socket.create_connection(("127.0.0.1", proxy.upstream_port))
                state = {"swallow": False, "events": False, "silent": False}
                proxy._connections.append(state)
                done = threading.Event()

                def client_to_server() -> None:
                    try:
                        while chunk := client.recv(65536):
                            if chunk.startswith(b"GET /api/v1/events"):
                                state["events"] = True
                            if state["silent"]:
                                continue
                            if b"POST /api/v1/tickets " in chunk and proxy.drop_next_ticket_answer:
                                proxy.drop_next_ticket_answer = False
                                state["swallow"] = True
                            upstream.sendall(chunk)
                    except OSError:
                        pass
                    finally:
                        done.set()

                def server_to_client() -> None:
                    buffer = b""
                    try:
                        while chunk := upstream.recv(65536):
                            if state["silent"]:
                                continue
                            if not state["swallow"]:
                                client.sendall(chunk)
                                continue
                            buffer += chunk
                            head, separator, body = buffer.partition(b"\r\n\r\n")
                            if not separator:
                                continue
                            length = next(
                                (
                                    int(line.split(b":")[1])
                                    for line in head.split(b"\r\n")
                                    if line.lower().startswith(b"content-length:")
                                ),
                                0,
                            )
                            if len(body) >= length:
                                proxy.dropped += 1
                                break  # the answer is lost: close without sending it
                    except OSError:
                        pass
                    finally:
                        done.set()

                threads = [
                    threading.Thread(target=client_to_server, daemon=True),
                    threading.Thread(target=server_to_client, daemon=True),
                ]
                for thread in threads:
                    thread.start()
                done.wait()
                state["events"] = False  # closed: nothing left to silence
                for sock in (client, upstream):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def silence_event_streams(self) -> int:
        """Event streams open now pass nothing more (and stay open); returns how many."""
        streams = [c for c in self._connections if c["events"] and not c["silent"]]
        for connection in streams:
            connection["silent"] = True
        return len(streams)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FlakyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
