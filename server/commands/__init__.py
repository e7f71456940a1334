"""The commands that change a centre, by subject; each runs as one writer transaction.

Queue commands (tickets, counters, housekeeping) work on the engine's live state;
admin commands (users, devices, opening hours) are plain functions of a transaction,
run by the server's writer for the admin pages and by a writer of the command line's
own for `rinda users|devices|hours` (`server.admin.run_admin`): one code path, so
every change writes its event and names its actor.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from core.errors import NotFound


class NamedAction(StrEnum):
    """An action named in a request's path (`POST /tickets/{id}/{action}`)."""

    @classmethod
    def named(cls, text: str) -> Self:
        """The action called `text`, or `NotFound` (`unknown_action`)."""
        try:
            return cls(text)
        except ValueError:
            raise NotFound("action", text) from None
