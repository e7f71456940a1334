"""`rinda hub catalogue`: the national catalogue from the command line.

    rinda hub catalogue import FILE --note "what and why" [--by NAME]   publish FILE
    rinda hub catalogue export [--version N] [--out FILE]              the TOML (default: current)
    rinda hub catalogue versions                                        who, when, why
    rinda hub catalogue changes N [--since M]                           what changed, in words
    rinda hub catalogue rollback N --note "why" [--by NAME]             restore N as a new version

The file format is the catalogue's own (`docs/catalogue.md`), only its shared sections;
the same validator checks it as everywhere, and an error names the file and the field.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def register(sub: Any, database: Any, admin: Any) -> None:
    """Add `rinda hub catalogue ...` (`database` adds --database, `admin` runs on it)."""
    catalogue = sub.add_parser("catalogue", help="the national service catalogue")
    actions = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    who = getpass.getuser()

    imported = actions.add_parser("import", help="publish a catalogue TOML file as a new version")
    database(imported, suppress=True)
    imported.add_argument("file", type=Path)
    imported.add_argument("--note", required=True, help="what changed and why")
    imported.add_argument("--by", default=who, help=f"who publishes (default: {who})")
    imported.set_defaults(handler=lambda args: _import(args, admin))

    exported = actions.add_parser("export", help="write a version's TOML (default: the current)")
    database(exported, suppress=True)
    exported.add_argument("--version", type=int, default=None)
    exported.add_argument("--out", type=Path, default=None, help="default: standard output")
    exported.set_defaults(handler=lambda args: _export(args, admin))

    listing = actions.add_parser("versions", help="every version: who, when, why")
    database(listing, suppress=True)
    listing.set_defaults(handler=lambda args: _versions(args, admin))

    changes = actions.add_parser("changes", help="what a version changed, in words")
    database(changes, suppress=True)
    changes.add_argument("version", type=int)
    changes.add_argument("--since", type=int, default=None)
    changes.set_defaults(handler=lambda args: _changes(args, admin))

    rollback = actions.add_parser("rollback", help="restore an earlier version as a new one")
    database(rollback, suppress=True)
    rollback.add_argument("version", type=int)
    rollback.add_argument("--note", required=True, help="why")
    rollback.add_argument("--by", default=who)
    rollback.set_defaults(handler=lambda args: _rollback(args, admin))


def _print_published(result: Any) -> int:
    version = result.version
    print(f"published version {version.version} ({version.note})")
    for line in result.changes:
        print(f"  {line}")
    return 0


def _import(args: argparse.Namespace, admin: Any) -> int:
    from hub import catalogue

    try:
        text = args.file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    result = admin(
        args,
        lambda conn: catalogue.publish(
            conn, text, by=args.by, note=args.note, now=now, source=str(args.file)
        ),
    )
    return _print_published(result)


def _export(args: argparse.Namespace, admin: Any) -> int:
    from core.errors import NotFound
    from hub import catalogue

    def read(conn: Any) -> Any:
        if args.version is not None:
            return catalogue.version(conn, args.version)
        latest = catalogue.latest(conn)
        if latest is None:
            raise NotFound("catalogue_version", "current", "Nothing has been published yet.")
        return latest

    version = admin(args, read)
    if args.out is None:
        sys.stdout.write(version.document)
    else:
        args.out.write_text(version.document, "utf-8")
        print(f"version {version.version} written to {args.out}")
    return 0


def _versions(args: argparse.Namespace, admin: Any) -> int:
    from hub import catalogue

    print(f"{'VERSION':>7}  {'PUBLISHED':<20} {'BY':<16} NOTE")
    for version in admin(args, catalogue.versions):
        when = version.published_at.isoformat(timespec="seconds")
        print(f"{version.version:>7}  {when:<20} {version.published_by:<16} {version.note}")
    return 0


def _changes(args: argparse.Namespace, admin: Any) -> int:
    from hub import catalogue

    for line in admin(args, lambda conn: catalogue.changes(conn, args.version, args.since)):
        print(line)
    return 0


def _rollback(args: argparse.Namespace, admin: Any) -> int:
    from hub import catalogue

    now = datetime.now(UTC)
    result = admin(
        args,
        lambda conn: catalogue.rollback(conn, args.version, by=args.by, note=args.note, now=now),
    )
    return _print_published(result)
