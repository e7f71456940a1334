"""Every role may do only what it needs; everything else is 401 or 403."""

from __future__ import annotations

import httpx
import pytest

from server.admin import run_admin
from server.auth import hash_password, verify_password
from server.commands.admin import revoke_device, set_user_disabled
from tests.conftest import Staff
from tests.support.running_server import RunningServer


def test_password_hashes_are_salted_scrypt() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("correct horse", first)
    assert not verify_password("wrong horse", first)
    assert not verify_password("correct horse", "plain-text")


def test_no_or_bad_credentials_are_401(server: RunningServer) -> None:
    with server.client() as anonymous:
        assert anonymous.get("/health").status_code == 200
        for path in ("/services", "/queue", "/counters", "/events"):
            response = anonymous.get(path)
            assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    with server.client("forged-token") as forged:
        assert forged.get("/queue").status_code == 401
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": "Basic abc"}
    ) as basic:
        assert basic.get("/queue").status_code == 401


# (role, method, path, body, expected status)
MATRIX = [
    ("display", "POST", "/tickets", {"service_id": "residence"}, 403),
    ("display", "POST", "/counters/c1/call-next", None, 403),
    ("display", "GET", "/queue", None, 200),
    ("feedback", "POST", "/tickets", {"service_id": "residence"}, 403),
    ("kiosk", "POST", "/counters/c1/call-next", None, 403),
    ("kiosk", "POST", "/counters/c1/open", None, 403),
    ("kiosk", "PUT", "/display/ticker", {"text": "hi"}, 403),
    ("kiosk", "POST", "/tickets", {"service_id": "residence"}, 201),
    ("clerk", "POST", "/counters/c2/open", None, 403),
    ("clerk", "POST", "/counters/c1/open", None, 200),
    ("clerk", "PUT", "/display/ticker", {"text": "hi"}, 403),
    ("clerk", "POST", "/tickets", {"service_id": "residence"}, 201),
    ("clerk", "POST", "/devices/me/status", {"printer": "ok"}, 403),
    ("manager", "POST", "/counters/c2/open", None, 200),
    ("manager", "PUT", "/display/ticker", {"text": "Open until 19:00 on Mondays"}, 200),
    ("kiosk", "POST", "/devices/me/status", {"printer": "paper_out"}, 200),
]


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "status"),
    MATRIX,
    ids=[f"{m[0]} {m[1]} {m[2]}" for m in MATRIX],
)
def test_role_rights(
    server: RunningServer,
    staff: Staff,
    role: str,
    method: str,
    path: str,
    body: dict | None,
    status: int,
) -> None:
    token = {
        "display": staff.display,
        "feedback": staff.feedback,
        "kiosk": staff.kiosk,
        "clerk": staff.clerk("c1"),
        "manager": staff.manager,
    }[role]
    with server.client(token) as http:
        response = http.request(method, path, json=body)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["code"] == "forbidden"


def test_clerk_cannot_act_on_a_ticket_at_another_counter(
    server: RunningServer, staff: Staff
) -> None:
    with server.client(staff.kiosk) as http:
        ticket = http.post("/tickets", json={"service_id": "residence"}).json()
    with server.client(staff.clerk("c2")) as http:
        http.post("/counters/c2/open").raise_for_status()
        http.post("/counters/c2/call-next").raise_for_status()
    with server.client(staff.clerk("c1")) as http:
        refused = http.post(f"/tickets/{ticket['id']}/start")
        assert refused.status_code == 403
        assert "counter c1" in refused.json()["message"]


def test_revoked_device_and_disabled_user_lose_access_at_once(
    server: RunningServer, staff: Staff
) -> None:
    kiosk, clerk = staff.kiosk, staff.clerk("c1")
    with server.client(kiosk) as http:
        assert http.get("/queue").status_code == 200
    run_admin(server.data_dir, lambda tx: revoke_device(tx, "kiosk-1"))
    run_admin(server.data_dir, lambda tx: set_user_disabled(tx, "clerk-c1", True))
    with server.client(kiosk) as http:
        assert http.get("/queue").status_code == 401
    with server.client(clerk) as http:
        assert http.get("/queue").status_code == 401


def test_wrong_password_and_login_rate_limit(server: RunningServer, staff: Staff) -> None:
    staff.clerk("c1")
    url = f"{server.url}/api/v1/session"
    wrong = httpx.post(url, json={"username": "clerk-c1", "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["message"] == "Wrong user name or password."
    ghost = httpx.post(url, json={"username": "ghost", "password": "nope"})
    assert ghost.json()["message"] == wrong.json()["message"]
    statuses = [
        httpx.post(url, json={"username": "clerk-c1", "password": "nope"}).status_code
        for _ in range(10)
    ]
    assert statuses[-1] == 429


def test_cookie_session_needs_the_csrf_token_for_changes(
    server: RunningServer, staff: Staff
) -> None:
    staff.clerk("c1")
    with httpx.Client(base_url=f"{server.url}/api/v1") as browser:
        login = browser.post("/session", json={"username": "clerk-c1", "password": "correct horse"})
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        csrf = login.json()["csrf_token"]
        assert browser.get("/queue").status_code == 200
        forged = browser.post("/counters/c1/open")
        assert forged.status_code == 403 and forged.json()["code"] == "forbidden"
        assert browser.post("/counters/c1/open", headers={"X-CSRF-Token": csrf}).status_code == 200
        assert browser.delete("/session", headers={"X-CSRF-Token": csrf}).status_code == 204
        assert browser.get("/queue").status_code == 401
