"""TLS on the centre's LAN: the server's own CA, pairing by code, a pinned CA, and a man in
the middle (a real second server with another certificate, on 127.0.0.1) refused."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from core.pairing import pairing_code
from kiosk.config import load_config
from terminal.client import EventStream, RindaClient, UntrustedServer
from terminal.link import LinkCallbacks, LinkSettings, TerminalLink
from terminal.pairing import PairingError, ca_fingerprint, pair_by_code, pin_by_fingerprint
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer
from tests.support.tls_interceptor import TlsInterceptor


def _wait(condition, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def centre(tmp_path: Path, clock):
    with RunningServer(tmp_path / "centre", clock=clock, catalogue=always_open(), tls=True) as s:
        yield s


@pytest.fixture
def impostor(tmp_path: Path, clock):
    """Another real Rinda server, with a CA and certificate of its own."""
    with RunningServer(tmp_path / "other", clock=clock, catalogue=always_open(), tls=True) as s:
        yield s


def test_the_server_makes_its_ca_once_and_serves_https_only(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    with RunningServer(data, clock=clock, catalogue=always_open(), tls=True) as server:
        assert server.ctx is not None and server.ctx.tls is not None
        first = server.ctx.tls.ca_fingerprint
        tls_dir = data / "tls"
        assert (tls_dir / "ca.key").stat().st_mode & 0o777 == 0o600
        assert (tls_dir / "server.key").stat().st_mode & 0o777 == 0o600
        # A client trusting the CA verifies the server by its address, as a browser would.
        trusting = ssl.create_default_context(cafile=str(tls_dir / "ca.pem"))
        assert httpx.get(f"{server.url}/api/v1/health", verify=trusting).status_code == 200
        # Plain HTTP gets no answer at all once TLS is on.
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{server.port}/api/v1/health", timeout=5)
        # Nor does a client that trusts only the public CAs.
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{server.url}/api/v1/health")
    server_pem = (tls_dir / "server.pem").read_bytes()
    with RunningServer(data, clock=clock, catalogue=always_open(), tls=True) as again:
        assert again.ctx is not None and again.ctx.tls is not None
        assert again.ctx.tls.ca_fingerprint == first, "the CA is made once"
        assert (tls_dir / "server.pem").read_bytes() == server_pem
    names = ("rinda.ozolkalns.lan",)
    with RunningServer(data, clock=clock, catalogue=always_open(), tls=True, tls_names=names) as s:
        assert s.ctx is not None and s.ctx.tls is not None
        assert s.ctx.tls.ca_fingerprint == first, "a new name: a new certificate, the same CA"
        assert (tls_dir / "server.pem").read_bytes() != server_pem


def test_pairing_by_code_pins_the_ca_and_the_terminal_works_over_tls(
    centre: RunningServer, tmp_path: Path
) -> None:
    staff = Staff(centre)
    config = tmp_path / "kiosk.toml"
    config.write_text('# the entrance kiosk\nprinter = "dummy"\n')
    command = [
        sys.executable,
        "-m",
        "rinda",
        "pair",
        "--server",
        centre.url,
        "--config",
        str(config),
        "--name",
        "kiosk-entrance",
        "--role",
        "kiosk",
    ]
    pairing = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert pairing.stdout is not None
        shown = ""
        for line in pairing.stdout:
            if line.strip().replace(" ", "").isdigit():
                shown = line.strip().replace(" ", "")
                break
        assert len(shown) == 6, "the terminal shows a six-digit code"
        with centre.client(staff.admin) as admin:
            [waiting] = admin.get("/admin/pairings").json()
            assert waiting["name"] == "kiosk-entrance" and waiting["role"] == "kiosk"
            assert waiting["code"] == shown, "the console shows the terminal's code"
            confirmed = admin.post(f"/admin/pairings/{waiting['id']}/confirm")
            assert confirmed.status_code == 200, confirmed.text
            assert admin.get("/admin/pairings").json() == []
            devices = {d["name"]: d for d in admin.get("/admin/devices").json()}
            assert devices["kiosk-entrance"]["role"] == "kiosk"
        out, err = pairing.communicate(timeout=30)
    finally:
        if pairing.poll() is None:
            pairing.kill()
    assert pairing.returncode == 0, err
    assert "over TLS only" in out
    written = tomllib.loads(config.read_text())
    assert config.read_text().startswith("# the entrance kiosk"), "comments are kept"
    assert written["server_url"] == centre.url and written["printer"] == "dummy"
    assert Path(written["server_ca"]).read_bytes() == (centre.data_dir / "tls/ca.pem").read_bytes()
    assert config.stat().st_mode & 0o777 == 0o600

    # The kiosk's own settings drive its link: HTTPS, event stream over TLS.
    kiosk = load_config(config, discover=False)
    loaded = threading.Event()
    events: list = []
    link = TerminalLink(
        LinkSettings(
            token=kiosk.token,
            server_url=kiosk.server_url,
            discover=False,
            server_ca=kiosk.server_ca,
        ),
        LinkCallbacks(loaded=lambda client, data: loaded.set(), event=events.append),
    )
    link.start()
    try:
        _wait(loaded.is_set, "the kiosk to load")
        _wait(lambda: link.connected, "the event stream")
        assert link.client is not None
        ticket = link.client.issue_ticket("residence", "lv", False, "pair-1")
        _wait(
            lambda: any(event.ticket_id == ticket.id for event in events),
            "the ticket's event over TLS",
        )
    finally:
        link.stop()


def test_a_man_in_the_middle_shows_another_code_and_a_paired_terminal_refuses_him(
    centre: RunningServer, impostor: RunningServer, tmp_path: Path
) -> None:
    assert centre.ctx is not None and centre.ctx.tls is not None
    assert impostor.ctx is not None and impostor.ctx.tls is not None
    staff = Staff(centre)
    other = impostor.ctx.tls
    # A plain relay hands on the real CA, which did not sign his certificate.
    relay = TlsInterceptor(centre.port, other.cert_file, other.key_file)
    with relay, pytest.raises(UntrustedServer):
        pair_by_code(relay.url, "kiosk-y", "kiosk", lambda code: None, poll=0.05)
    with TlsInterceptor(centre.port, other.cert_file, other.key_file, other.ca_file) as mitm:
        # Pairing through him: the request reaches the real server, but the code the
        # terminal shows comes from his CA, so it differs from the console's.
        shown: list[str] = []
        result: list[object] = []

        def pair() -> None:
            try:
                result.append(pair_by_code(mitm.url, "kiosk-x", "kiosk", shown.append, poll=0.05))
            except PairingError as exc:
                result.append(exc)

        thread = threading.Thread(target=pair)
        thread.start()
        _wait(lambda: shown, "the terminal's code")
        with centre.client(staff.admin) as admin:
            [waiting] = admin.get("/admin/pairings").json()
            assert waiting["code"] != shown[0], "the admin sees the codes differ"
            assert waiting["code"] == pairing_code_of(waiting, centre)
            admin.post(f"/admin/pairings/{waiting['id']}/refuse").raise_for_status()
        thread.join(timeout=20)
        assert isinstance(result[0], PairingError) and "refused" in str(result[0])

        # A terminal paired with the real server refuses him, and the other server too.
        ca_file = centre.data_dir / "tls" / "ca.pem"
        token = centre.add_device("kiosk-1", "kiosk")
        for url in (mitm.url, impostor.url):
            client = RindaClient(url, token, verify=pinned(ca_file))
            with pytest.raises(UntrustedServer):
                client.queue()
            client.close()
            stream = EventStream(
                url,
                token,
                lambda e: None,
                verify=pinned(ca_file),
                min_backoff=0.01,
                max_backoff=0.05,
            )
            stream.start()
            time.sleep(0.3)  # several attempts; none may connect
            assert not stream.connected
            stream.stop()
        # Pinning by fingerprint through him fails before the token is sent.
        assert pin_with_wrong_fingerprint(mitm.url, token, centre) is not None
        assert b"/api/v1/pairing/ca" in mitm.seen, "he did relay the unverified CA fetch"
        assert token.encode() not in mitm.seen, "the token never passed through him"
        # The same terminal talks to the real server.
        client = RindaClient(centre.url, token, verify=pinned(ca_file))
        assert client.queue().seq >= 0
        client.close()


def pinned(ca_file: Path) -> ssl.SSLContext:
    from terminal.pairing import pinned_context

    return pinned_context(ca_file)


def pairing_code_of(waiting: dict, server: RunningServer) -> str:
    """What the console should show: from the nonce the terminal sent and the real CA."""
    assert server.ctx is not None and server.ctx.tls is not None
    request = server.ctx.pairings.get(waiting["id"], server.ctx.clock.now())
    return pairing_code(request.nonce, server.ctx.tls.ca_fingerprint)


def pin_with_wrong_fingerprint(url: str, token: str, centre: RunningServer) -> PairingError | None:
    real = ca_fingerprint((centre.data_dir / "tls" / "ca.pem").read_text())
    try:
        pin_by_fingerprint(url, token, real)
    except PairingError as exc:
        assert "not the centre's server" in str(exc)
        return exc
    return None


def test_pairing_with_an_existing_token_and_the_fingerprint(
    centre: RunningServer, tmp_path: Path
) -> None:
    token = centre.add_device("hall-1", "display")
    fingerprint = subprocess.run(
        [sys.executable, "-m", "rinda", "tls", "fingerprint", "--data-dir", str(centre.data_dir)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert centre.ctx is not None and centre.ctx.tls is not None
    assert fingerprint == centre.ctx.tls.ca_fingerprint
    colons = ":".join(fingerprint[i : i + 2] for i in range(0, len(fingerprint), 2)).upper()
    paired = pin_by_fingerprint(centre.url, token, colons)
    assert paired.name == "hall-1"
    with pytest.raises(PairingError, match="refused the token"):
        pin_by_fingerprint(centre.url, "not-a-token", fingerprint)


def test_pairing_requests_are_checked_and_expire(centre: RunningServer, clock) -> None:
    staff = Staff(centre)
    with httpx.Client(base_url=f"{centre.url}/api/v1", verify=centre.verify) as http:
        bad = http.post("/pairings", json={"name": "k", "role": "kiosk", "nonce": "xyz"})
        assert bad.status_code == 422
        bad_role = http.post("/pairings", json={"name": "k", "role": "admin", "nonce": "0" * 32})
        assert bad_role.status_code == 422
        made = http.post("/pairings", json={"name": "k", "role": "kiosk", "nonce": "ab" * 16})
        assert made.status_code == 201
        wrong = http.post(f"/pairings/{made.json()['id']}/collect", json={"secret": "guess"})
        assert wrong.status_code == 404 and wrong.json()["code"] == "unknown_pairing"
        # No admin: nobody else may list or confirm.
        assert http.get("/admin/pairings").status_code == 401
        assert http.post(f"/admin/pairings/{made.json()['id']}/confirm").status_code == 401
        from datetime import timedelta

        clock.advance(timedelta(minutes=16))
        with centre.client(staff.admin) as admin:
            assert admin.get("/admin/pairings").json() == []
        gone = http.post(
            f"/pairings/{made.json()['id']}/collect", json={"secret": made.json()["secret"]}
        )
        assert gone.status_code == 404


def test_a_paired_terminal_refuses_plain_http_settings(tmp_path: Path) -> None:
    from core.errors import SettingsError

    ca = tmp_path / "server-ca.pem"
    ca.write_text("x")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'server_url = "http://10.0.0.2:8787"\nserver_ca = "{ca}"\n')
    with pytest.raises(SettingsError, match="https:// only"):
        load_config(config)
