"""The schema version of the events and the rule a reader applies to it.

`schema_version` is a major version. Adding a member to an event or payload keeps
it: readers ignore members they do not know, and a member added later is optional
to them. Removing or renaming a member, changing its type or its meaning, or adding
a value to a closed set (a ticket status) raises it, and comes with a migration of
the stored log, so the log always holds one version. A reader refuses an event of a
version it does not read, saying which versions it reads (`UnsupportedVersion`).
"""

from __future__ import annotations

from typing import Any

from core.wire.codec import WireError

SCHEMA_VERSION = 1
"""The version this code writes (in every event, on the stream and to the hub)."""
READABLE_VERSIONS = frozenset({1})
"""The versions this code reads."""


class UnsupportedVersion(WireError):
    """An event of a schema version this reader does not read (a newer writer's major
    change): update the reader."""


def check_version(version: Any, seq: Any = None) -> int:
    """`version` if this code reads it; `UnsupportedVersion` otherwise (also when it is
    missing or not an integer)."""
    if isinstance(version, int) and not isinstance(version, bool) and version in READABLE_VERSIONS:
        return version
    which = f"Event {seq}" if seq is not None else "An event"
    readable = ", ".join(str(v) for v in sorted(READABLE_VERSIONS))
    if version is None:
        raise UnsupportedVersion(f"{which} has no schema_version; this program reads {readable}.")
    raise UnsupportedVersion(
        f"{which} has schema version {version!r}; this program reads {readable}: "
        "the program that wrote it is newer, update this one."
    )
