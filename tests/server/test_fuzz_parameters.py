"""No input reaches a 500: path and query strings, headers and days at their boundaries.

Days include 0001-01-01, 9999-12-31 and a number of seconds.

Each answer is either a success or a 4xx with a code that docs/api.md documents
(see tests/support/fuzz.py for the boundary values); the server keeps answering.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.days import FIRST_DAY, LAST_DAY
from tests.conftest import Staff
from tests.support.fuzz import (
    BOUNDARY_DAYS,
    BOUNDARY_TEXTS,
    FUZZ,
    assert_answered,
    send_json,
    token_for,
    url_text,
)
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.slow


# -- path and query strings, headers ------------------------------------------------

PATH_CASES = [
    ("kiosk", "GET", "/tickets/{}"),
    ("clerk", "POST", "/tickets/{}/start"),
    ("clerk", "POST", "/tickets/x/{}"),
    ("clerk", "POST", "/counters/{}/call-next"),
    ("clerk", "POST", "/counters/c1/{}"),
    ("kiosk", "GET", "/counters/{}/waiting"),
    ("admin", "POST", "/admin/users/{}/disable"),
    ("admin", "POST", "/admin/devices/{}/revoke"),
    ("admin", "DELETE", "/admin/hours/{}"),
    ("manager", "GET", "/applications/{}"),
    ("manager", "POST", "/applications/{}/notes"),
    ("feedback", "GET", "/feedback/visit?number={}"),
    ("manager", "GET", "/applications?department={}"),
    ("manager", "GET", "/applications?status={}"),
    ("manager", "GET", "/applications?q={}"),
    ("manager", "GET", "/applications.csv?department={}"),
    ("manager", "GET", "/applications/audit?application={}"),
    ("manager", "GET", "/stats?group={}"),
    ("manager", "GET", "/stats?service={}"),
    ("manager", "GET", "/stats.csv?group={}"),
]


@pytest.mark.parametrize("case", PATH_CASES, ids=lambda c: f"{c[1]} {c[2]}")
def test_every_path_and_query_string_at_its_boundaries(
    server: RunningServer, staff: Staff, case: tuple[str, str, str]
) -> None:
    who, method, template = case
    with server.client(token_for(staff, who)) as http:
        for text in [*BOUNDARY_TEXTS[:-3], "%", "%ZZ", "\xff", "x" * 4000]:
            value = url_text(text) or "%20"
            response = http.request(method, template.replace("{}", value))
            assert_answered(response)


@pytest.mark.parametrize("key", ["k" * 101, "\xff\xfe", "a b", "", "=1+1", "k" * 100])
def test_idempotency_keys_at_their_boundaries(
    server: RunningServer, staff: Staff, key: str
) -> None:
    with server.client(staff.kiosk) as http:
        response = http.post(
            "/tickets",
            json={"service_id": "residence"},
            headers={"Idempotency-Key": key.encode("latin-1")},  # type: ignore[dict-item]
        )
    assert_answered(response)


@pytest.mark.parametrize(
    "authorization", ["Bearer", "Bearer \xff\xfe", "Basic x", "Bearer " + "x" * 4000]
)
def test_authorization_headers_at_their_boundaries(
    server: RunningServer, authorization: str
) -> None:
    response = httpx.get(
        f"{server.url}/api/v1/queue",
        headers={"Authorization": authorization.encode("latin-1")},  # type: ignore[dict-item]
    )
    refusal = assert_answered(response)
    assert refusal is not None and refusal["code"] == "not_authenticated"


# -- days -----------------------------------------------------------------------------

DAY_ROUTES = ["/stats", "/stats.csv", "/stats/applications"]


def valid_day(text: str) -> date | None:
    """The day the server should accept: YYYY-MM-DD in ASCII digits, within the range."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def expected_period(start: str | None, end: str | None) -> bool:
    """Whether the server should accept this period (today is 2026-11-23)."""
    days = [None if text is None else valid_day(text) for text in (start, end)]
    if any(day is None and text is not None for day, text in zip(days, (start, end), strict=True)):
        return False
    last = days[1] or date(2026, 11, 23)
    first = days[0] or last - timedelta(days=29)
    return first <= last and (last - first).days <= 400


def day_texts() -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.none(),
        st.sampled_from(BOUNDARY_DAYS),
        st.dates().map(date.isoformat),
        st.integers().map(str),
        st.text(max_size=12),
    )


def day_query(start: str | None, end: str | None) -> str:
    parts = [f"{name}={url_text(v)}" for name, v in (("from", start), ("to", end)) if v is not None]
    return "?" + "&".join(parts)


@pytest.mark.parametrize("route", DAY_ROUTES)
@pytest.mark.parametrize("day", BOUNDARY_DAYS)
def test_stats_days_at_their_boundaries(
    server: RunningServer, staff: Staff, route: str, day: str
) -> None:
    with server.client(staff.manager) as http:
        for start, end in ((day, None), (None, day), (day, day)):
            response = http.get(route + day_query(start, end))
            refusal = assert_answered(response)
            assert (refusal is None) == expected_period(start, end), (start, end, refusal)
            if refusal is not None:
                assert refusal["code"] == "invalid_input"


@FUZZ
@given(start=day_texts(), end=day_texts(), route=st.sampled_from(DAY_ROUTES))
def test_random_stats_periods(
    server: RunningServer, staff: Staff, start: str | None, end: str | None, route: str
) -> None:
    with server.client(staff.manager) as http:
        response = http.get(route + day_query(start, end))
    refusal = assert_answered(response)
    assert (refusal is None) == expected_period(start, end), (start, end, refusal)


@FUZZ
@given(start=day_texts(), end=day_texts(), service=st.sampled_from(["", "residence", "nope"]))
def test_the_report_page_answers_every_period_with_a_page(
    server: RunningServer, staff: Staff, start: str | None, end: str | None, service: str
) -> None:
    query = day_query(start, end) + f"&service={service}"
    response = httpx.get(
        f"{server.url}/reports{query}", cookies={"rinda_session": staff.manager}, timeout=10
    )
    assert response.status_code in (200, 404, 422), response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    if response.status_code != 200:
        assert 'id="report-error"' in response.text


@pytest.mark.parametrize("day", BOUNDARY_DAYS)
def test_hours_exception_days_at_their_boundaries(
    server: RunningServer, staff: Staff, day: str
) -> None:
    body = {"date": day, "closed": True, "note": "test"}
    with server.client(staff.admin) as http:
        added = assert_answered(send_json(http, "POST", "/admin/hours", body))
        removed = assert_answered(http.delete(f"/admin/hours/{url_text(day) or '%20'}"))
        numeric = assert_answered(send_json(http, "POST", "/admin/hours", {**body, "date": 0}))
    if valid_day(day):
        assert added is None and removed is None
    else:
        assert added is not None
        assert added["code"] == "malformed_json" or added["fields"]["date"] in (
            "invalid_date",
            "out_of_range",
        )
        assert removed is not None
    # A number is no day (it once became 1970-01-01).
    assert numeric is not None and numeric["fields"] == {"date": "invalid_date"}
