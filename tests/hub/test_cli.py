"""`rinda hub` and its administration commands, as an operator uses them."""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg

from hub.store.migrate import migrations
from tests.support.processes import free_port, rinda
from tests.support.running_hub import HubProcess


def test_centres_add_prints_a_working_token_last_and_list_shows_them(hub_dsn: str) -> None:
    added = rinda(
        "hub",
        "centres",
        "add",
        "riga-centrs",
        "--name",
        "Rīgas centrs",
        "--municipality",
        "Rīga",
        "--database",
        hub_dsn,
    )
    token = added.stdout.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    again = rinda(
        "hub",
        "centres",
        "add",
        "riga-centrs",
        "--name",
        "x",
        "--municipality",
        "y",
        "--database",
        hub_dsn,
        check=False,
    )
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = rinda(
        "hub",
        "centres",
        "add",
        "Rīga!",
        "--name",
        "x",
        "--municipality",
        "y",
        "--database",
        hub_dsn,
        check=False,
    )
    assert bad.returncode == 2 and "centre id" in bad.stderr
    listing = rinda("hub", "centres", "list", "--database", hub_dsn).stdout
    assert "riga-centrs" in listing and "Rīga" in listing and "active" in listing
    with psycopg.connect(hub_dsn) as conn:
        stored = conn.execute("SELECT token_hash FROM centres").fetchone()[0]
    assert token not in stored  # only a digest is kept


def test_users_add_reads_the_password_from_stdin(hub_dsn: str, monkeypatch) -> None:
    monkeypatch.setenv("RINDA_HUB_DATABASE", hub_dsn)
    rinda(
        "hub",
        "users",
        "add",
        "ogre",
        "--role",
        "analyst",
        "--municipality",
        "Ogre",
        "--password-stdin",
        stdin="long enough secret\n",
    )
    rinda(
        "hub",
        "users",
        "add",
        "root",
        "--role",
        "admin",
        "--password-stdin",
        stdin="long enough secret\n",
    )
    limited_admin = rinda(
        "hub",
        "users",
        "add",
        "boss",
        "--role",
        "admin",
        "--municipality",
        "Ogre",
        "--password-stdin",
        stdin="long enough secret\n",
        check=False,
    )
    assert limited_admin.returncode == 2 and "analyst" in limited_admin.stderr
    short = rinda(
        "hub",
        "users",
        "add",
        "x",
        "--role",
        "analyst",
        "--password-stdin",
        stdin="short\n",
        check=False,
    )
    assert short.returncode == 2 and "at least" in short.stderr
    listing = rinda("hub", "users", "list").stdout
    assert "ogre" in listing and "Ogre" in listing and "(all)" in listing


def test_no_database_given_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv("RINDA_HUB_DATABASE", raising=False)
    result = rinda("hub", "centres", "list", check=False)
    assert result.returncode == 2 and "--database" in result.stderr
    unreachable = rinda(
        "hub",
        "centres",
        "list",
        "--database",
        "postgresql:///x?host=/nonexistent",
        check=False,
    )
    assert unreachable.returncode == 2 and "cannot reach the hub database" in unreachable.stderr
    zone = rinda("hub", "--database", "postgresql:///x", "--timezone", "Mars/Olympus", check=False)
    assert zone.returncode == 2 and "unknown time zone 'Mars/Olympus'" in zone.stderr


def test_the_hub_migrates_an_empty_database_at_start(empty_dsn: str) -> None:
    hub = HubProcess(empty_dsn, free_port()).start()
    try:
        health = httpx.get(f"{hub.url}/api/v1/health").json()
        assert health["schema_version"] == len(migrations()) and health["role"] == "hub"
        openapi = httpx.get(f"{hub.url}/api/v1/openapi.json").json()
        assert "/api/v1/centres/{centre_id}/events" in openapi["paths"]
        missing = httpx.get(f"{hub.url}/api/v1/nowhere")
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    finally:
        hub.stop()


def test_users_add_an_institution_user_of_a_published_institution(
    hub_dsn: str, monkeypatch
) -> None:
    monkeypatch.setenv("RINDA_HUB_DATABASE", hub_dsn)
    add = ("hub", "users", "add", "olga", "--role", "institution", "--password-stdin")
    missing = rinda(*add, stdin="long enough secret\n", check=False)
    assert missing.returncode == 2 and "--institution" in missing.stderr
    unknown = rinda(*add, "--institution", "registry", stdin="long enough secret\n", check=False)
    assert unknown.returncode == 2 and "registry" in unknown.stderr  # nothing published yet
    catalogue = Path(__file__).parents[2] / "core" / "data" / "national_catalogue.toml"
    rinda("hub", "catalogue", "import", str(catalogue), "--note", "v1", "--by", "test")
    rinda(*add, "--institution", "registry", stdin="long enough secret\n")
    with psycopg.connect(hub_dsn) as conn:
        row = conn.execute("SELECT role, institution FROM users WHERE username = 'olga'").fetchone()
    assert row == ("institution", "registry")
