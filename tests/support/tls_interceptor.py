"""A man in the middle on 127.0.0.1: he ends the terminal's TLS with a certificate of his
own and relays everything, over a TLS connection of his own, to the real server. Given
`own_ca`, he also answers a request for the server's CA with his own, as a careful
attacker would (a plain relay hands on the real CA, which does not match his
certificate)."""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import ssl
import threading
from pathlib import Path

CA_REQUEST = b"GET /api/v1/pairing/ca"


class TlsInterceptor:
    def __init__(
        self, upstream_port: int, cert_file: Path, key_file: Path, own_ca: Path | None = None
    ) -> None:
        self.upstream_port = upstream_port
        self.connections = 0
        self.seen = bytearray()
        """Everything terminals sent through him, decrypted."""
        accept = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        accept.load_cert_chain(str(cert_file), str(key_file))
        upstream = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        upstream.check_hostname = False
        upstream.verify_mode = ssl.CERT_NONE
        interceptor = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                try:
                    client = accept.wrap_socket(self.request, server_side=True)
                    first = client.recv(65536)
                except (ssl.SSLError, OSError):
                    return  # the terminal refused his certificate
                interceptor.connections += 1
                interceptor.seen.extend(first)
                if own_ca is not None and first.startswith(CA_REQUEST):
                    _answer_with(client, own_ca)
                    return
                raw = socket.create_connection(("127.0.0.1", interceptor.upstream_port))
                server = upstream.wrap_socket(raw)
                server.sendall(first)
                pumps = [
                    threading.Thread(
                        target=_pump, args=(client, server, interceptor.seen), daemon=True
                    ),
                    threading.Thread(target=_pump, args=(server, client, None), daemon=True),
                ]
                for pump in pumps:
                    pump.start()
                for pump in pumps:
                    pump.join()

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __enter__(self) -> TlsInterceptor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _answer_with(client: ssl.SSLSocket, own_ca: Path) -> None:
    body = json.dumps({"ca": own_ca.read_text(), "fingerprint": ""}).encode()
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        client.sendall(head.encode() + body)
        client.close()


def _pump(source: ssl.SSLSocket, target: ssl.SSLSocket, seen: bytearray | None) -> None:
    try:
        while data := source.recv(65536):
            if seen is not None:
                seen.extend(data)
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
