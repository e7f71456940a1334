"""No CSV the server writes holds a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

from core.csv_export import FORMULA_STARTS
from tests.conftest import Staff
from tests.support.running_server import RunningServer

FORMULAS = ["\t=1+1", "=1+1", "+1", "-1+1", "@SUM(A1)", "\r=1"]


def formula_cells(text: str) -> list[str]:
    """Cells that start a formula (a number, such as -5, is data)."""
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    return [c for c in cells if c.startswith(FORMULA_STARTS) and not _number(c)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_the_applications_export_holds_no_formula(server: RunningServer, staff: Staff) -> None:
    base = {
        "type_id": "certificate-request",
        "fields": {
            "name": "Jānis Bērziņš",
            "personal_code": "120389-11220",
            "phone": "+371 20000000",
            "text": "Lūdzu izziņu.",
            "delivery": "in_person",
        },
        "consent": True,
    }
    with server.client(staff.kiosk) as http:
        for formula in FORMULAS:
            http.post("/applications", json={**base, "kiosk_reference": formula})
    with server.client(staff.manager) as http:
        exported = http.get("/applications.csv")
    assert exported.status_code == 200
    assert formula_cells(exported.text) == []


def test_the_statistics_export_holds_no_formula(server: RunningServer, staff: Staff) -> None:
    """A clerk's user name may start with '-' or '@'; the clerk grouping shows it."""
    for name in ("-clerk", "@SUM"):
        server.add_user(name, "clerk", counter_id="c1")
        token = server.login(name)
        with server.client(staff.kiosk) as http:
            ticket = http.post("/tickets", json={"service_id": "residence"}).json()
        with server.client(token) as http:
            http.post("/counters/c1/open").raise_for_status()
            http.post("/counters/c1/call-next").raise_for_status()
            http.post(f"/tickets/{ticket['id']}/start").raise_for_status()
            http.post(f"/tickets/{ticket['id']}/finish").raise_for_status()
            http.post("/counters/c1/close").raise_for_status()
    with server.client(staff.manager) as http:
        exported = http.get("/stats.csv", params={"group": "clerk"})
    assert exported.status_code == 200, exported.text
    rows = list(csv.reader(io.StringIO(exported.text, newline="")))
    assert {row[0] for row in rows[1:]} >= {"'-clerk", "'@SUM"}
    assert formula_cells(exported.text) == []
