"""Boundary values and checks shared by the fuzz tests of the API (tests/server/test_fuzz_*).

Every answer must be a success or a refusal with a code and status that
docs/api.md documents; never a 500.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import Staff
from tests.support.api_contract import documented_codes

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
