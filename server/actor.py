"""Who issues a command: the event log's `actor`, and which counters they may operate."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum

from core.errors import Forbidden, InvalidInput


class ActorKind(StrEnum):
    """The kinds of actor the event log names."""

    USER = "user"
    """A person signed in to the console or the admin pages."""
    DEVICE = "device"
    """A kiosk, display or feedback terminal with its token."""
    CLI = "cli"
    """A person at the server's command line (`rinda users|devices|hours`), by the
    operating system's user name."""
    SYSTEM = "system"
    """The server itself (housekeeping, retention, start-up)."""


@dataclass(frozen=True)
class Actor:
    """Who issues a command, and which counters they may operate."""

    name: str
    counter_id: str | None = None
    """The counter a clerk is bound to (None: any counter, for managers)."""
    any_counter: bool = False
    kind: ActorKind = ActorKind.USER

    @property
    def ref(self) -> str:
        """How the event log names the actor: `user:anna`, `device:kiosk-1`, `cli:root`."""
        return f"{self.kind.value}:{self.name}"

    def check_counter(self, counter_id: str) -> None:
        """Raise `Forbidden` unless this actor may operate `counter_id`."""
        if self.any_counter:
            return
        if self.counter_id != counter_id:
            where = f"counter {self.counter_id}" if self.counter_id else "no counter"
            raise Forbidden(
                f"You are signed in at {where}; you cannot operate counter {counter_id}."
            )

    def counter_for(self, requested: str | None) -> str:
        """The counter a command applies to: the requested one or the actor's own."""
        counter_id = requested or self.counter_id
        if counter_id is None:
            raise InvalidInput("Say which counter.", {"counter_id": "required"})
        self.check_counter(counter_id)
        return counter_id


def command_line_actor() -> Actor:
    """The person running an admin command at the server's command line, by their
    operating system user name (`cli:root`)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        name = "unknown"
    return Actor(name, any_counter=True, kind=ActorKind.CLI)
