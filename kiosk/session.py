"""One visitor at the kiosk, as one object (pure: no Kivy, time passed in).

A `VisitorSession` begins with the first touch or key press and holds
everything that belongs to that visitor: the language, the accessibility
choices, when they last did something, when the visit ends by itself (a
ticket on screen), and which actions that create something they have asked
for. The kiosk drops it whole when the visit ends (ticket taken, idle reset),
at closing time, and when the server or its catalogue changes; nothing of
it is left for the next visitor.

Actions that create something (a ticket, an application, a printout) are
idempotent per visitor intent: `begin(intent)` gives the idempotency key the
first time and None for every repeat (a second finger, a press the touch
driver delivered twice, a double tap), so a repeat creates nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

from kiosk.viewmodels import Accessibility

IdleState = Literal["active", "warning", "reset"]


@dataclass(frozen=True)
class IdleRules:
    """When an inactive visitor is warned, then forgotten (seconds)."""

    idle_seconds: float
    warning_seconds: float


@dataclass
class VisitorSession:
    """Everything about the visitor in front of the kiosk."""

    started_at: float
    language: str
    access: Accessibility = field(default_factory=Accessibility)
    last_activity: float = 0.0
    ends_at: float | None = None
    """When the visit ends by itself (the issued ticket has been on screen long enough)."""
    _intents: dict[Hashable, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.last_activity = max(self.last_activity, self.started_at)

    def touch(self, now: float) -> None:
        """The visitor did something."""
        self.last_activity = now

    def idle_state(self, now: float, rules: IdleRules) -> IdleState:
        """`active`, `warning` (idle_seconds without a touch) or `reset` (warning_seconds
        later)."""
        idle = now - self.last_activity
        if idle < rules.idle_seconds:
            return "active"
        if idle < rules.idle_seconds + rules.warning_seconds:
            return "warning"
        return "reset"

    def seconds_left(self, now: float, rules: IdleRules) -> int:
        """Whole seconds until the reset (shown and spoken during the warning)."""
        remaining = rules.idle_seconds + rules.warning_seconds - (now - self.last_activity)
        return max(0, int(remaining + 0.999))

    def begin(self, intent: Hashable) -> str | None:
        """The idempotency key for an action that creates something (e.g. `("ticket",
        service_id)`), or None if this visitor has already asked for it."""
        if intent in self._intents:
            return None
        key = uuid.uuid4().hex
        self._intents[intent] = key
        return key

    def done(self, intent: Hashable) -> None:
        """The action finished and may be asked for again (a second printout)."""
        self._intents.pop(intent, None)

    def asked(self, intent: Hashable) -> bool:
        """Whether the action has been asked for and not finished."""
        return intent in self._intents
