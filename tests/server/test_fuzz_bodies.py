"""No input reaches a 500: JSON bodies at their boundaries.

Every member and member name of every body is tried with NUL, lone surrogates,
bidi overrides, 10,000 characters and 2^64, and the body as a whole is sent
not UTF-8, nested 1,000 deep, and chunked past the limit.

Each answer is either a success or a 4xx with a code that docs/api.md documents
(see tests/support/fuzz.py for the boundary values); the server keeps answering.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Staff
from tests.support.fuzz import (
    BOUNDARY_NUMBERS,
    BOUNDARY_TEXTS,
    FUZZ,
    any_value,
    assert_answered,
    has_surrogate,
    send_json,
    token_for,
)
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.slow

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
    (
        "none",
        "POST",
        "/pairings",
        {"name": "kiosk-9", "role": "kiosk", "counter_id": "c1", "nonce": "ab" * 16},
    ),
    ("none", "POST", "/pairings/x/collect", {"secret": "s"}),
    (
        "none",
        "POST",
        "/appointments/holds",
        {"service_id": "residence", "starts_at": "2026-11-24T09:00:00+02:00", "language": "lv"},
    ),
    (
        "none",
        "POST",
        "/appointments/holds/x/confirm",
        {"name": "Anna", "phone": "+37120000000", "email": "anna@example.lv", "language": "lv"},
    ),
    ("kiosk", "POST", "/appointments/check-in", {"code": "ABCD-EFGH", "language": "lv"}),
    ("clerk", "POST", "/appointments/x/check-in", {"language": "lv"}),
]


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
