"""One simulated visitor's record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SimulatedVisit:
    """One simulated visitor's ticket and what happened to it (not to be confused with
    `core.statistics.Visit`, a recorded visit as statistics count it)."""

    ticket_id: str
    service_id: str
    is_priority: bool
    day: int
    issued_at: float
    duration: float
    no_show: bool
    transfer_to: str | None
    called_at: float | None = None
    estimate: float | None = None
    """The wait told (seconds): the play-through, calibrated by past outcomes."""
    naive_estimate: float | None = None
    play_through: float | None = None
    """The play-through's own estimate, before calibration."""
    low: float | None = None
    high: float | None = None
    """The 80 % range told with the estimate (None until the centre has learnt one)."""
    turned_away: bool = False
    """Refused a ticket by `core.issuing.issue_refusal` (the closing-time cut-off)."""
    number: str = ""
    """The ticket's number, as the centre would number it (empty when turned away)."""
    measured: bool = True
    """False for visitors who arrived during the warm-up of a continuous run."""
    booked_at: float | None = None
    """A booked visitor's booked time (None: a walk-in); `issued_at` is the check-in."""

    @property
    def wait(self) -> float | None:
        """Seconds from issue (a booked visitor's: from the booked time, or the check-in
        when later, as `core.model.Ticket.queued_since`) to the first call; never
        negative (a booked visitor may be called early by an idle counter)."""
        if self.called_at is None:
            return None
        since = self.issued_at if self.booked_at is None else max(self.issued_at, self.booked_at)
        return max(self.called_at - since, 0.0)

    @property
    def called_after_booked_time(self) -> float | None:
        """A booked visitor's call against the booked time, seconds (negative: earlier)."""
        if self.called_at is None or self.booked_at is None:
            return None
        return self.called_at - self.booked_at
