"""The `rinda` command line: help, admin commands, catalogue errors."""

from __future__ import annotations

from pathlib import Path

from tests.support.processes import rinda


def test_help_lists_the_subcommands() -> None:
    output = rinda("--help").stdout
    for command in ("server", "demo", "users", "devices", "hours"):
        assert command in output


def test_users_add_list_disable(tmp_path: Path) -> None:
    data = str(tmp_path)
    added = rinda(
        "users",
        "add",
        "anna",
        "--role",
        "clerk",
        "--counter",
        "c1",
        "--password-stdin",
        "--data-dir",
        data,
        stdin="a long password\n",
    )
    assert "anna (clerk) added" in added.stdout
    duplicate = rinda(
        "users",
        "add",
        "anna",
        "--role",
        "clerk",
        "--password-stdin",
        "--data-dir",
        data,
        stdin="a long password\n",
        check=False,
    )
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    short = rinda(
        "users",
        "add",
        "bob",
        "--role",
        "clerk",
        "--password-stdin",
        "--data-dir",
        data,
        stdin="short\n",
        check=False,
    )
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    unknown_counter = rinda(
        "users",
        "add",
        "eve",
        "--role",
        "clerk",
        "--counter",
        "c42",
        "--password-stdin",
        "--data-dir",
        data,
        stdin="a long password\n",
        check=False,
    )
    assert unknown_counter.returncode == 2 and "c42" in unknown_counter.stderr
    rinda("users", "disable", "anna", "--data-dir", data)
    listing = rinda("users", "list", "--data-dir", data).stdout
    assert "anna" in listing and "disabled" in listing and "bob" not in listing
    assert rinda("users", "disable", "nobody", "--data-dir", data, check=False).returncode == 2


def test_devices_token_is_the_last_line_and_can_be_revoked(tmp_path: Path) -> None:
    data = str(tmp_path)
    output = rinda("devices", "add", "kiosk-hall", "--role", "kiosk", "--data-dir", data).stdout
    token = output.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    assert "kiosk-hall" in rinda("devices", "list", "--data-dir", data).stdout
    rinda("devices", "revoke", "kiosk-hall", "--data-dir", data)
    assert "revoked" in rinda("devices", "list", "--data-dir", data).stdout
    bad_role = rinda("devices", "add", "x", "--role", "admin", "--data-dir", data, check=False)
    assert bad_role.returncode != 0


def test_hours_exceptions(tmp_path: Path) -> None:
    data = str(tmp_path)
    rinda("hours", "add", "2026-12-24", "--closed", "--note", "Christmas Eve", "--data-dir", data)
    rinda("hours", "add", "2026-12-21", "--hours", "08:30-12:00", "13:00-19:00", "--data-dir", data)
    listing = rinda("hours", "list", "--data-dir", data).stdout
    assert "2026-12-24  closed" in listing and "Christmas Eve" in listing
    assert "08:30-12:00 13:00-19:00" in listing
    bad = rinda(
        "hours", "add", "2026-12-22", "--hours", "19:00-08:00", "--data-dir", data, check=False
    )
    assert bad.returncode == 2 and "after opening" in bad.stderr
    rinda("hours", "remove", "2026-12-24", "--data-dir", data)
    assert "2026-12-24" not in rinda("hours", "list", "--data-dir", data).stdout


def test_invalid_catalogue_stops_the_server_with_the_field_named(tmp_path: Path) -> None:
    catalogue = tmp_path / "bad.toml"
    from core.data import demo_catalogue_text

    catalogue.write_text(demo_catalogue_text().replace('prefix = "C"', 'prefix = "c1"'))
    result = rinda(
        "server",
        "--catalogue",
        str(catalogue),
        "--data-dir",
        str(tmp_path / "d"),
        "--no-advertise",
        check=False,
    )
    assert result.returncode == 2
    assert "services[2].prefix: must be 1-2 capital Latin letters, got 'c1'" in result.stderr
