"""A centre ships over HTTPS, trusting the municipality's own CA with --hub-ca; without
that CA it refuses the hub's certificate and reports why (nothing is sent)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.centre_activity import activity_for
from tests.support.hub_link import caught_up, eventually, link_config, link_status, stored_seqs
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer


def certificates(directory: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, hub certificate, hub key): a CA of its own, a certificate for
    127.0.0.1 signed by it."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Rinda test municipality CA",
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "hub.key",
        "-out",
        "hub.csr",
        "-subj",
        "/CN=127.0.0.1",
    )
    (directory / "ext").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "hub.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "hub.pem",
        "-days",
        "2",
        "-extfile",
        "ext",
    )
    return directory / "ca.pem", directory / "hub.pem", directory / "hub.key"


@pytest.mark.slow
def test_shipping_over_https_with_the_municipality_ca(tmp_path: Path, hub_dsn: str, clock):
    ca, cert, key = certificates(tmp_path)
    with RunningHub(hub_dsn, tls_cert=cert, tls_key=key) as hub:
        assert hub.url.startswith("https://")
        token = hub.add_centre("ventspils", "Ventspils")
        untrusting = link_config(hub.url, token)
        with RunningServer(
            tmp_path / "centre", clock=clock, catalogue=always_open(), hub=untrusting
        ) as centre:
            staff = Staff(centre)
            activity_for(centre, staff, clock, seed=3).run(10)
            status = eventually(
                lambda: (s := link_status(centre.url))["state"] == "retrying" and s,
                what="the untrusted certificate to be refused",
            )
            assert "CERTIFICATE_VERIFY_FAILED" in status["last_error"]
            assert stored_seqs(hub_dsn, "ventspils") == []

        trusting = link_config(hub.url, token, ca_file=ca)
        with RunningServer(
            tmp_path / "centre", clock=clock, catalogue=always_open(), hub=trusting
        ) as centre:
            staff.server = centre
            activity_for(centre, staff, clock, seed=4).run(10)
            eventually(lambda: caught_up(centre.url), what="shipping over HTTPS")
            assert len(stored_seqs(hub_dsn, "ventspils")) == link_status(centre.url)["local_seq"]
