"""No input reaches a dead stream: event numbers and filters at their boundaries.

`since` and `Last-Event-ID` run up to 2^64 and beyond; a filter names unknown
things. The stream starts and stays alive, or is refused before it starts.

Each answer is either a success or a 4xx with a code that docs/api.md documents
(see tests/support/fuzz.py for the boundary values); the server keeps answering.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Staff
from tests.support.fuzz import (
    BOUNDARY_EVENT_NUMBERS,
    assert_answered,
)
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.slow

# -- event numbers: the stream starts and stays alive, or is refused first ------------


def open_stream(
    server: RunningServer, token: str, *, params: dict[str, str], headers: dict[str, str]
) -> tuple[int, dict[str, Any] | None, list[str]]:
    """Status, the refusal (if any), and the stream's lines up to the first message
    after the preamble (an event or a heartbeat): proof the stream is alive."""
    lines: list[str] = []
    with (
        httpx.Client(
            base_url=f"{server.url}/api/v1",
            headers={"Authorization": f"Bearer {token}", **headers},
            timeout=httpx.Timeout(30),
        ) as http,
        http.stream("GET", "/events", params=params) as response,
    ):
        if response.status_code != 200:
            response.read()
            return response.status_code, assert_answered(response), lines
        for line in response.iter_lines():
            lines.append(line)
            if line.startswith((": heartbeat", "id:")):
                break
        return 200, None, lines


@pytest.mark.parametrize("number", BOUNDARY_EVENT_NUMBERS)
@pytest.mark.parametrize("where", ["since", "Last-Event-ID"])
def test_event_numbers_at_their_boundaries(
    server: RunningServer, staff: Staff, number: str, where: str
) -> None:
    with server.client(staff.kiosk) as http:
        http.post("/tickets", json={"service_id": "residence"}).raise_for_status()
    params = {"since": number} if where == "since" else {}
    headers = {"Last-Event-ID": number} if where == "Last-Event-ID" else {}
    status, refusal, lines = open_stream(server, staff.display, params=params, headers=headers)
    valid = number.isdigit() and int(number) <= 2**63 - 1
    if valid and int(number) > server.log_end():
        # In range, but beyond the log: said at once (a restored log), never a silent stream.
        assert status == 409 and refusal is not None, (status, refusal)
        assert refusal["code"] == "resume_point_ahead"
    elif valid:
        assert status == 200 and lines[0].startswith("retry:")
        assert lines[-1].startswith((": heartbeat", "id:")), lines  # alive, not dead
    else:
        assert refusal is not None and refusal["code"] == "invalid_input", (status, refusal)
        if number.isdigit():
            assert refusal["fields"] == {where: "out_of_range"}


@pytest.mark.parametrize(
    ("params", "field", "problem"),
    [
        ({"type": "ticket.print"}, "type", "unknown_event_type"),
        ({"type": "tick"}, "type", "unknown_event_type"),
        ({"type": "ticket.called,nope"}, "type", "unknown_event_type"),
        ({"service": "nope"}, "service", "unknown_service"),
        ({"counter": "c99"}, "counter", "unknown_counter"),
    ],
)
def test_a_stream_filter_that_matches_nothing_is_refused(
    server: RunningServer, staff: Staff, params: dict[str, str], field: str, problem: str
) -> None:
    status, refusal, _ = open_stream(server, staff.display, params=params, headers={})
    assert status == 422 and refusal is not None
    assert refusal["fields"] == {field: problem}


@pytest.mark.parametrize(
    "params",
    [{"type": "ticket"}, {"type": "ticket.called"}, {"type": "display.ticker,device"}, {}],
)
def test_known_filters_still_stream(
    server: RunningServer, staff: Staff, params: dict[str, str]
) -> None:
    status, _, lines = open_stream(server, staff.display, params=params, headers={})
    assert status == 200 and lines[-1].startswith((": heartbeat", "id:"))
