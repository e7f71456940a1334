"""No input reaches a 500 or a dead stream: boundary values for every kind of parameter.

Every kind of value that crosses the API boundary is tried at its edges: JSON
strings and member names (NUL, lone surrogates, bidi overrides, 10,000
characters), JSON numbers (2^63 and beyond), days (0001-01-01, 9999-12-31, a
number of seconds), path and query strings, event numbers in `since` and
`Last-Event-ID`, and the body itself (not UTF-8, nested 1,000 deep, chunked
past the limit). Each answer is either a success or a 4xx with a code that
docs/api.md documents; the server keeps answering.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.days import FIRST_DAY, LAST_DAY
from tests.conftest import Staff
from tests.support.api_contract import documented_codes
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.slow
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CODES = documented_codes()
BOUNDARY_TEXTS = [
    "",
    " ",
    "\x00",
    "Ja\x00nis",
    "\ud800",
    "x\udfffy",
    "\u202eevil",
    "\u2066x\u2069",
    "\ufffe",
    "\u2028",
    "\x1b[31m",
    "\x85",
    "\t=1+1",
    '=HYPERLINK("http://x")',
    "x" * 10_000,
    "ā" * 10_000,
    "🙂" * 3_000,
    "a\u0304" * 100,
    "%00",
    "../../etc/passwd",
    "'; DROP TABLE tickets; --",
    "\r\n",
    "9" * 400,
]
BOUNDARY_NUMBERS: list[Any] = [0, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30, 1e308]
BOUNDARY_DAYS = [
    "9999-12-31",
    "0001-01-01",
    "1999-12-31",
    "2000-01-01",
    "2999-12-31",
    "3000-01-01",
    "0",
    "-1",
    "1700000000",
    "2026-02-30",
    "2026-13-01",
    "2026-1-1",
    "99999-01-01",
    "2026-11-23T00:00:00",
    "1e10",
    "",
    " 2026-11-23",
    "2026-11-23\x00",
    "\ud800",
]
BOUNDARY_EVENT_NUMBERS = ["0", "1", str(2**63 - 1), str(2**63), str(2**64), "9" * 30, "-1", "1e3"]


def any_value() -> st.SearchStrategy[Any]:
    """JSON values of every kind, the boundaries first among them."""
    texts = st.one_of(
        st.sampled_from(BOUNDARY_TEXTS),
        st.text(
            st.one_of(
                st.characters(),
                st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Co"]),
            ),
            max_size=30,
        ),
    )
    scalars = st.one_of(
        texts,
        st.sampled_from(BOUNDARY_NUMBERS),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def url_text(text: str) -> str:
    """Percent-encoded, a lone surrogate as the bytes a careless client would send."""
    return quote(text, safe="", errors="surrogatepass")


def assert_answered(response: httpx.Response) -> dict[str, Any] | None:
    """A success, or a refusal with a documented code and status; never a 500."""
    assert response.status_code < 500, response.text[:500]
    if response.status_code < 400:
        return None
    body = response.json()
    assert CODES.get(body["code"]) == response.status_code, body
    assert isinstance(body["message"], str) and body["message"]
    return dict(body)


def send_json(http: httpx.Client, method: str, path: str, body: Any, **kw: Any) -> httpx.Response:
    """The body as JSON with every non-ASCII character escaped, so a lone surrogate
    travels as `\\ud800` (what a JavaScript client sends)."""
    return http.request(
        method,
        path,
        content=json.dumps(body).encode("ascii"),
        headers={"content-type": "application/json", **kw.pop("headers", {})},
        **kw,
    )


def has_surrogate(value: Any) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


# -- JSON bodies ------------------------------------------------------------------

Case = tuple[str, str, str, dict[str, Any]]
BODY_CASES: list[Case] = [
    ("kiosk", "POST", "/tickets", {"service_id": "residence", "language": "lv"}),
    ("kiosk", "POST", "/tickets/x/print-result", {"printed": False, "error": "jam"}),
    (
        "clerk",
        "POST",
        "/tickets/x/finish",
        {"delivered_service": "advice", "note": "ok", "counter_id": "c1", "service_id": "tax"},
    ),
    ("clerk", "POST", "/counters/c1/walk-direct", {"service_id": "residence", "language": "lv"}),
    ("manager", "PUT", "/display/ticker", {"text": "Welcome"}),
    ("kiosk", "POST", "/devices/me/status", {"printer": "ok", "detail": "fine", "version": "1"}),
    ("none", "POST", "/session", {"username": "nobody", "password": "x", "counter_id": "c1"}),
    (
        "admin",
        "POST",
        "/admin/users",
        {
            "username": "new.user",
            "role": "clerk",
            "password": "long enough",
            "display_name": "Jānis",
            "counter_id": "c1",
            "department_id": "registry",
        },
    ),
    ("admin", "POST", "/admin/users/nobody/password", {"password": "long enough"}),
    ("admin", "POST", "/admin/devices", {"name": "kiosk-9", "role": "kiosk", "counter_id": "c1"}),
    (
        "admin",
        "POST",
        "/admin/hours",
        {"date": "2026-12-24", "hours": ["09:00-13:00"], "closed": False, "note": "Eve"},
    ),
    (
        "kiosk",
        "POST",
        "/applications",
        {
            "type_id": "certificate-request",
            "language": "lv",
            "fields": {
                "name": "Jānis Bērziņš",
                "personal_code": "120389-11220",
                "phone": "+371 20000000",
                "text": "Lūdzu izziņu.",
                "delivery": "in_person",
            },
            "consent": True,
            "kiosk_reference": "AB12CD34",
        },
    ),
    ("none", "POST", "/applications/lookup", {"registration_number": "KAC/2026/1", "secret": "x"}),
    ("manager", "POST", "/applications/x/status", {"status": "forwarded", "note": "sent"}),
    ("manager", "POST", "/applications/x/notes", {"note": "called back"}),
    ("feedback", "POST", "/feedback", {"ticket_id": "x", "rating": 5}),
]


def token_for(staff: Staff, who: str) -> str | None:
    return {
        "none": None,
        "kiosk": staff.kiosk if who == "kiosk" else None,
        "display": staff.display if who == "display" else None,
        "feedback": staff.feedback if who == "feedback" else None,
        "clerk": staff.clerk("c1") if who == "clerk" else None,
        "manager": staff.manager if who == "manager" else None,
        "admin": staff.admin if who == "admin" else None,
    }[who]


def places(body: Any, trail: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a body a value can go: each member (`("value", *path)`) and each
    member name (`("key", *path)`)."""
    if isinstance(body, dict):
        for name, member in body.items():
            yield ("key", *trail, name)
            yield ("value", *trail, name)
            yield from places(member, (*trail, name))


def replaced(body: Any, place: tuple[Any, ...], new: Any) -> Any:
    """A deep copy of `body` with the place's value (or member name) replaced by `new`."""
    copy = json.loads(json.dumps(body))
    kind, *path = place
    parent = copy
    for name in path[:-1]:
        parent = parent[name]
    if kind == "value":
        parent[path[-1]] = new
    else:
        parent[str(new)] = parent.pop(path[-1])
    return copy


def test_the_body_cases_cover_every_operation_with_a_json_body(server: RunningServer) -> None:
    """A new endpoint with a body must join the sweep."""
    with server.client() as http:
        schema = http.get("/openapi.json").json()
    with_body = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    covered = set()
    for _, method, path, _ in BODY_CASES:
        for template_method, template in with_body:
            parts, concrete = template.split("/"), path.split("/")
            if (
                template_method == method
                and len(parts) == len(concrete)
                and all(p == c or p.startswith("{") for p, c in zip(parts, concrete, strict=True))
            ):
                covered.add((template_method, template))
    assert with_body - covered == set()


@pytest.mark.parametrize("case", BODY_CASES, ids=lambda c: f"{c[1]} {c[2]}")
def test_every_body_member_and_name_at_its_boundaries(
    server: RunningServer, staff: Staff, case: Case
) -> None:
    who, method, path, body = case
    with server.client(token_for(staff, who)) as http:
        for place in places(body):
            values = BOUNDARY_TEXTS if place[0] == "key" else [*BOUNDARY_TEXTS, *BOUNDARY_NUMBERS]
            for value in values:
                response = send_json(http, method, path, replaced(body, place, value))
                refusal = assert_answered(response)
                if has_surrogate(value):
                    # Not text: refused as the body's fault, whatever the field.
                    assert refusal is not None and refusal["code"] == "malformed_json", place
        assert http.get("/health").status_code == 200


@FUZZ
@given(data=st.data())
def test_random_values_anywhere_in_a_body(
    server: RunningServer, staff: Staff, data: st.DataObject
) -> None:
    who, method, path, body = data.draw(st.sampled_from(BODY_CASES))
    place = data.draw(st.sampled_from(list(places(body))))
    value = data.draw(any_value() if place[0] == "value" else st.text(max_size=20))
    with server.client(token_for(staff, who)) as http:
        response = send_json(http, method, path, replaced(body, place, value))
    refusal = assert_answered(response)
    if has_surrogate(value):
        assert refusal is not None and refusal["code"] == "malformed_json"


# -- the body as a whole ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"service_id": "residence\xff"}', "malformed_json"),  # not UTF-8
        (b'{"service_id": "\xed\xa0\x80"}', "malformed_json"),  # a surrogate in UTF-8 form
        (b"[" * 1000 + b"]" * 1000, "malformed_json"),  # 1,000 deep
        (b'{"service_id": "residence", "x": ' + b"[" * 33 + b"]" * 33 + b"}", "malformed_json"),
        (b'{"service_id": "\\ud800"}', "malformed_json"),
        (b'{"\\udfff": 1}', "malformed_json"),
        (b'{"service_id": "residence"', "malformed_json"),
        (b'{"service_id": NaN}', "malformed_json"),  # not JSON, though Python reads it
        (b'{"rating": -Infinity}', "malformed_json"),
        (b'{"rating": 1e999}', "malformed_json"),  # beyond a double
        (b'{"rating": ' + b"9" * 5000 + b"}", "malformed_json"),
        (b"\xef\xbb\xbf{}", "malformed_json"),  # a byte order mark is not JSON (RFC 8259, 8.1)
    ],
)
def test_a_body_that_is_not_i_json_is_malformed_json(
    server: RunningServer, staff: Staff, content: bytes, code: str
) -> None:
    with server.client(staff.kiosk) as http:
        response = http.post(
            "/tickets", content=content, headers={"content-type": "application/json"}
        )
    refusal = assert_answered(response)
    assert refusal is not None and refusal["code"] == code, refusal


@pytest.mark.parametrize("chunk_size", [1, 4096, 65_536])
def test_a_chunked_body_over_the_limit_is_body_too_large(
    server: RunningServer, staff: Staff, chunk_size: int
) -> None:
    total = 1_000_000 if chunk_size > 1 else 70_000

    def chunks() -> Iterator[bytes]:
        yield b'{"service_id": "residence", "pad": "'
        for _ in range(total // chunk_size):
            yield b"x" * chunk_size
        yield b'"}'

    with server.client(staff.kiosk) as http:
        response = http.post(
            "/tickets", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.request.headers.get("transfer-encoding") == "chunked"
        refusal = assert_answered(response)
        assert refusal is not None and refusal["code"] == "body_too_large"
        assert response.status_code == 413
        # A chunked body under the limit still works.
        small = http.post(
            "/tickets",
            content=iter([b'{"service_id": ', b'"residence"}']),
            headers={"content-type": "application/json"},
        )
    assert small.status_code == 201, small.text


def test_a_route_without_a_body_refuses_a_huge_one_too(server: RunningServer, staff: Staff) -> None:
    with server.client(staff.clerk("c1")) as http:
        response = http.post("/counters/c1/open", content=iter([b"x" * 65_536] * 3))
    refusal = assert_answered(response)
    assert refusal is not None and refusal["code"] == "body_too_large"


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
    if valid:
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
