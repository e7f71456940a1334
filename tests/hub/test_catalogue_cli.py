"""`rinda hub catalogue`: import, export, versions, changes and rollback, as an operator
uses them (a real process against a real PostgreSQL)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from core.data import national_catalogue_text
from tests.support.processes import rinda


def test_import_export_versions_changes_rollback(hub_dsn: str, tmp_path: Path) -> None:
    first = tmp_path / "national.toml"
    first.write_text(national_catalogue_text(), "utf-8")
    out = rinda(
        "hub",
        "catalogue",
        "import",
        str(first),
        "--note",
        "First",
        "--by",
        "ieva",
        "--database",
        hub_dsn,
    ).stdout
    assert "published version 1 (First)" in out
    second = tmp_path / "v2.toml"
    second.write_text(first.read_text("utf-8").replace("fee_amount = 3.00", "fee_amount = 3.50"))
    out = rinda(
        "hub",
        "catalogue",
        "import",
        str(second),
        "--note",
        "Fee",
        "--by",
        "ieva",
        "--database",
        hub_dsn,
    ).stdout
    assert "Service 'certificates': standard.fee_amount changed from 3.0 to 3.5." in out

    bad = tmp_path / "bad.toml"
    bad.write_text(
        first.read_text("utf-8").replace("LV80BANK0000435195001", "LV80BANK0000435195009")
    )
    refused = rinda(
        "hub", "catalogue", "import", str(bad), "--note", "x", "--database", hub_dsn, check=False
    )
    assert refused.returncode == 2
    assert (
        f"{bad}: departments[0].iban: 'LV80BANK0000435195009' is not a valid IBAN" in refused.stderr
    )

    exported = rinda("hub", "catalogue", "export", "--version", "1", "--database", hub_dsn).stdout
    assert exported == first.read_text("utf-8")
    back = tmp_path / "back.toml"
    rinda("hub", "catalogue", "export", "--out", str(back), "--database", hub_dsn)
    assert tomllib.loads(back.read_text("utf-8")) == tomllib.loads(second.read_text("utf-8"))

    out = rinda(
        "hub",
        "catalogue",
        "rollback",
        "1",
        "--note",
        "wrong fee",
        "--by",
        "ieva",
        "--database",
        hub_dsn,
    ).stdout
    assert "published version 3 (Rollback to version 1: wrong fee)" in out
    listing = rinda("hub", "catalogue", "versions", "--database", hub_dsn).stdout.splitlines()
    assert [line.split()[0] for line in listing[1:]] == ["3", "2", "1"]
    assert "ieva" in listing[1] and "Rollback to version 1: wrong fee" in listing[1]
    words = rinda("hub", "catalogue", "changes", "3", "--database", hub_dsn).stdout
    assert words.strip() == "Service 'certificates': standard.fee_amount changed from 3.5 to 3.0."
