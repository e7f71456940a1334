"""Whether a ticket for a service can be issued now, and if not, why: one rule.

The engine asks it before it issues a ticket (a refusal becomes the error the
kiosk shows), the queue snapshot asks it for every service (its
`unavailable_reason`, which kiosks grey out and displays show), and the
simulator asks it for every arriving visitor (a refused visitor is turned
away). The checks, in order:

0. the service is withdrawn from the national catalogue (`service_withdrawn`): it
   is no longer offered, whatever the time (tickets already issued are served);
1. the centre is closed (`centre_closed`);
2. the service is outside its own hours (`service_closed`);
3. the service's daily cap is reached (`daily_cap_reached`; walk-direct visits
   do not count towards it);
4. the cut-off: the wait the visitor would be told runs past the service's
   closing time today (`service_cut_off`). An unknown wait (no open counter
   serves the service) does not cut off: nobody can say it will not be served.

Pure: time and the counts are passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NoReturn

from core.errors import (
    CentreClosed,
    DailyCapReached,
    ServiceClosed,
    ServiceCutOff,
    ServiceWithdrawn,
)
from core.hours import OpeningHours, service_closing, service_is_open
from core.model import Service


class IssueRefusal(StrEnum):
    """Why no ticket can be issued; the value is the error code the API answers with."""

    SERVICE_WITHDRAWN = ServiceWithdrawn.code
    CENTRE_CLOSED = CentreClosed.code
    SERVICE_CLOSED = ServiceClosed.code
    DAILY_CAP_REACHED = DailyCapReached.code
    SERVICE_CUT_OFF = ServiceCutOff.code


def runs_past_closing(
    now: datetime, expected_wait: timedelta | None, closing: datetime | None
) -> bool:
    """The cut-off: a visitor told to wait `expected_wait` from `now` would be called
    after `closing`. False when the wait is unknown or the service does not close today."""
    return expected_wait is not None and closing is not None and now + expected_wait > closing


def issue_refusal(
    service: Service,
    hours: OpeningHours,
    now: datetime,
    *,
    issued_today: int,
    expected_wait: Callable[[], timedelta | None],
) -> IssueRefusal | None:
    """Why a ticket for `service` cannot be issued at `now` (None: it can).

    `issued_today` is how many tickets of the service count towards its daily cap
    today; `expected_wait` gives the wait a ticket issued now would be told. It is
    called only when the other checks pass (an estimate plays the queue through)."""
    if service.withdrawn:
        return IssueRefusal.SERVICE_WITHDRAWN
    if not hours.is_open(now):
        return IssueRefusal.CENTRE_CLOSED
    if not service_is_open(service, hours, now):
        return IssueRefusal.SERVICE_CLOSED
    if service.daily_cap is not None and issued_today >= service.daily_cap:
        return IssueRefusal.DAILY_CAP_REACHED
    if runs_past_closing(now, expected_wait(), service_closing(service, hours, now)):
        return IssueRefusal.SERVICE_CUT_OFF
    return None


def raise_refusal(
    refusal: IssueRefusal, service: Service, hours: OpeningHours, now: datetime
) -> NoReturn:
    """Raise the error of a refused issue (its code is the refusal's), with a message
    for staff and logs."""
    name = service.name.en
    if refusal is IssueRefusal.SERVICE_WITHDRAWN:
        raise ServiceWithdrawn(f"{name} has been withdrawn from the national catalogue.")
    if refusal is IssueRefusal.CENTRE_CLOSED:
        opens_at = hours.status(now).opens_at
        when = hours.local(opens_at).isoformat(" ", "minutes") if opens_at else "—"
        raise CentreClosed(f"The centre is closed; it opens at {when}.")
    if refusal is IssueRefusal.SERVICE_CLOSED:
        raise ServiceClosed(f"{name} is not served at this time.")
    if refusal is IssueRefusal.DAILY_CAP_REACHED:
        raise DailyCapReached(f"All {service.daily_cap} tickets for {name} have been issued today.")
    raise ServiceCutOff(f"The expected wait for {name} runs past closing time today.")
