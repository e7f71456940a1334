"""The error tree of the domain.

Every error a visitor, clerk or terminal can cause has a stable machine code
(`code`) that the server puts in its JSON error body. HTTP statuses are chosen
at the server boundary, not here.

    RindaError
    ├── NotFound                    unknown_service, unknown_counter, unknown_ticket, ...
    ├── InvalidInput                invalid_input (with per-field messages)
    ├── Conflict
    │   ├── IllegalTransition       illegal_transition
    │   ├── CounterNotOpen          counter_not_open
    │   ├── CounterBusy             counter_busy
    │   ├── WrongCounter            wrong_counter
    │   ├── ReactivationExpired     reactivation_window_passed
    │   ├── IdempotencyConflict     idempotency_key_reused
    │   ├── SlotTaken               slot_taken
    │   ├── BookingLimitReached     booking_limit_reached
    │   ├── HoldExpired             hold_expired
    │   ├── BookingNotActive        booking_not_active
    │   └── ResumePointAhead        resume_point_ahead
    ├── ServiceUnavailable
    │   ├── CentreClosed            centre_closed
    │   ├── ServiceWithdrawn        service_withdrawn
    │   ├── ServiceClosed           service_closed
    │   ├── DailyCapReached         daily_cap_reached
    │   └── ServiceCutOff           service_cut_off
    ├── SettingsError               invalid_settings (a settings file or flag)
    │   └── CatalogueError          invalid_catalogue
    ├── PaymentError                invalid_payment (an EPC QR code's field)
    ├── NotAuthenticated            not_authenticated
    └── Forbidden                   forbidden
"""

from __future__ import annotations

from collections.abc import Mapping


class RindaError(Exception):
    """Base of every error Rinda raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(RindaError):
    """A referenced thing (service, counter, ticket, user ...) does not exist."""

    code = "not_found"

    def __init__(self, kind: str, identifier: object, message: str | None = None) -> None:
        super().__init__(message or f"No {kind} with id {identifier!r}.", code=f"unknown_{kind}")
        self.kind = kind
        self.identifier = identifier


class InvalidInput(RindaError):
    """Input failed validation; `fields` maps field name to the problem."""

    code = "invalid_input"

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields: dict[str, str] = dict(fields or {})


class Conflict(RindaError):
    """The request is valid but clashes with the current state."""

    code = "conflict"


class ResumePointAhead(Conflict):
    """A client asked to resume the event stream after an event the log does not hold:
    the log ends earlier (the server's database was restored from a backup, or another
    server answers at that address). The client must reload its snapshot and follow
    the stream from now; resuming there would skip the events written since."""

    code = "resume_point_ahead"

    def __init__(self, asked: int, log_end: int) -> None:
        super().__init__(
            f"The event log ends at event {log_end}; it holds no event {asked}. "
            "Reload the snapshot and follow the stream from now."
        )
        self.asked = asked
        self.log_end = log_end


class IllegalTransition(Conflict):
    """A ticket cannot make this move from its current status."""

    code = "illegal_transition"

    def __init__(self, ticket_number: str, status: str, action: str) -> None:
        super().__init__(f"Ticket {ticket_number} is {status}; it cannot be {action}.")
        self.ticket_number = ticket_number
        self.status = status
        self.action = action


class CounterNotOpen(Conflict):
    """Only an open counter calls tickets."""

    code = "counter_not_open"


class CounterBusy(Conflict):
    """The counter still holds a ticket that must be finished or released first."""

    code = "counter_busy"


class WrongCounter(Conflict):
    """The ticket is held by another counter."""

    code = "wrong_counter"


class ReactivationExpired(Conflict):
    """A no-show ticket is past its reactivation window."""

    code = "reactivation_window_passed"


class IdempotencyConflict(Conflict):
    """An idempotency key was reused for a different request."""

    code = "idempotency_key_reused"


class SlotTaken(Conflict):
    """The appointment slot has no free place (or is no longer bookable)."""

    code = "slot_taken"


class BookingLimitReached(Conflict):
    """This phone number or e-mail address already holds as many bookings as allowed."""

    code = "booking_limit_reached"


class HoldExpired(Conflict):
    """The slot was held for the booking form, but the hold has run out (or was used)."""

    code = "hold_expired"


class BookingNotActive(Conflict):
    """The booking was cancelled, checked in or missed, or has begun: it cannot change."""

    code = "booking_not_active"


class ServiceUnavailable(RindaError):
    """A ticket cannot be issued for the service right now."""

    code = "service_unavailable"


class CentreClosed(ServiceUnavailable):
    """The centre is outside its opening hours."""

    code = "centre_closed"


class ServiceWithdrawn(ServiceUnavailable):
    """The service has been withdrawn from the national catalogue: no new tickets."""

    code = "service_withdrawn"


class ServiceClosed(ServiceUnavailable):
    """The service is outside its own hours."""

    code = "service_closed"


class DailyCapReached(ServiceUnavailable):
    """The service has issued its maximum number of tickets today."""

    code = "daily_cap_reached"


class ServiceCutOff(ServiceUnavailable):
    """The expected wait would run past closing."""

    code = "service_cut_off"


class SettingsError(RindaError):
    """A settings file (or a flag) is wrong: one line naming the file, the key, the
    value found and what was expected (see `core.settings`)."""

    code = "invalid_settings"


class CatalogueError(SettingsError):
    """The catalogue file is invalid; the message names the field and the problem."""

    code = "invalid_catalogue"


class PaymentError(RindaError):
    """A payment's field cannot go into an EPC QR code (see `core.payment`); the
    message names the field."""

    code = "invalid_payment"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotAuthenticated(RindaError):
    """No valid credentials were presented."""

    code = "not_authenticated"


class Forbidden(RindaError):
    """The credentials are valid but the role may not do this."""

    code = "forbidden"
