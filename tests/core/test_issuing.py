"""Issuing availability: one rule for the engine, the queue snapshot and the simulator."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import (
    CentreClosed,
    DailyCapReached,
    ServiceClosed,
    ServiceCutOff,
    ServiceWithdrawn,
)
from core.hours import OpeningHours
from core.issuing import IssueRefusal, issue_refusal, raise_refusal, runs_past_closing
from core.model import TimeRange
from tests.support.factories import service

RIGA = ZoneInfo("Europe/Riga")
HOURS = OpeningHours(timezone="Europe/Riga", weekly={0: (TimeRange(8 * 60 + 30, 17 * 60),)})
MONDAY = datetime(2026, 11, 23, 16, 0, tzinfo=RIGA)
CLOSING = datetime(2026, 11, 23, 17, 0, tzinfo=RIGA)
RESIDENCE = service("residence", daily_cap=3)


def refusal(
    now: datetime = MONDAY, *, issued: int = 0, wait: timedelta | None = timedelta(0), **kw
) -> IssueRefusal | None:
    return issue_refusal(
        kw.get("service", RESIDENCE), HOURS, now, issued_today=issued, expected_wait=lambda: wait
    )


def test_open_with_room_before_closing_issues() -> None:
    assert refusal() is None


def test_the_checks_come_in_order_closed_service_hours_cap_cut_off() -> None:
    evening = MONDAY.replace(hour=18)
    withdrawn = replace(RESIDENCE, withdrawn=True)
    assert refusal(issued=0, service=withdrawn) is IssueRefusal.SERVICE_WITHDRAWN
    assert refusal(evening, service=withdrawn) is IssueRefusal.SERVICE_WITHDRAWN
    assert refusal(evening, issued=3, wait=timedelta(hours=5)) is IssueRefusal.CENTRE_CLOSED
    own_hours = replace(RESIDENCE, weekly_hours={0: (TimeRange(9 * 60, 12 * 60),)})
    afternoon = refusal(issued=3, wait=timedelta(hours=5), service=own_hours)
    assert afternoon is IssueRefusal.SERVICE_CLOSED
    assert refusal(issued=3, wait=timedelta(hours=5)) is IssueRefusal.DAILY_CAP_REACHED
    assert refusal(issued=2, wait=timedelta(hours=5)) is IssueRefusal.SERVICE_CUT_OFF


def test_a_wait_that_ends_at_closing_is_issued_one_second_more_is_cut_off() -> None:
    assert refusal(wait=CLOSING - MONDAY) is None
    assert refusal(wait=CLOSING - MONDAY + timedelta(seconds=1)) is IssueRefusal.SERVICE_CUT_OFF
    assert runs_past_closing(MONDAY, timedelta(hours=2), CLOSING)
    assert not runs_past_closing(MONDAY, timedelta(hours=2), None), "no closing today"


def test_an_unknown_wait_is_not_cut_off() -> None:
    """No open counter serves the service: nobody can say the visitor will not be served."""
    assert refusal(wait=None) is None


def test_the_wait_is_estimated_only_when_everything_else_allows_issuing() -> None:
    asked: list[bool] = []

    def wait() -> timedelta:
        asked.append(True)
        return timedelta(0)

    evening = MONDAY.replace(hour=18)
    issue_refusal(RESIDENCE, HOURS, evening, issued_today=0, expected_wait=wait)
    issue_refusal(RESIDENCE, HOURS, MONDAY, issued_today=3, expected_wait=wait)
    assert asked == []
    issue_refusal(RESIDENCE, HOURS, MONDAY, issued_today=0, expected_wait=wait)
    assert asked == [True]


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        (IssueRefusal.SERVICE_WITHDRAWN, ServiceWithdrawn),
        (IssueRefusal.CENTRE_CLOSED, CentreClosed),
        (IssueRefusal.SERVICE_CLOSED, ServiceClosed),
        (IssueRefusal.DAILY_CAP_REACHED, DailyCapReached),
        (IssueRefusal.SERVICE_CUT_OFF, ServiceCutOff),
    ],
)
def test_each_refusal_is_the_error_with_its_code(reason: IssueRefusal, error: type) -> None:
    with pytest.raises(error) as raised:
        raise_refusal(reason, RESIDENCE, HOURS, MONDAY.replace(hour=18))
    assert raised.value.code == reason.value


def test_closed_names_the_next_opening_in_local_time() -> None:
    with pytest.raises(CentreClosed, match=r"opens at 2026-11-30 08:30\+02:00"):
        raise_refusal(IssueRefusal.CENTRE_CLOSED, RESIDENCE, HOURS, MONDAY.replace(hour=18))
