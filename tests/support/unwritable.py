"""Making files unwritable even for root: the immutable attribute (`chattr +i`).

Tests run as root in CI, and root ignores file modes, but not the immutable
attribute (ext4, xfs, btrfs, tmpfs since Linux 6.0). It is also what turns the
memory-mapped `-shm` file into a SIGBUS, so it provokes the real fault.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _chattr(flag: str, paths: tuple[Path, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["chattr", flag, *map(str, paths)], capture_output=True, text=True, check=False
    )


def require_immutable_files(directory: Path) -> None:
    """Skip the test where the file system (or the user) cannot set the attribute."""
    probe = directory / ".immutable-probe"
    probe.write_text("x")
    result = _chattr("+i", (probe,))
    _chattr("-i", (probe,))
    probe.unlink()
    if result.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {result.stderr.strip()}")


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """The files (or directories) cannot be changed, removed or written, until the end."""
    result = _chattr("+i", paths)
    assert result.returncode == 0, result.stderr
    try:
        yield
    finally:
        _chattr("-i", paths)
