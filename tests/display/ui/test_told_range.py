"""Issue 22: the hall display's service lines show the range the server tells."""

from __future__ import annotations

import pytest

from tests.kiosk.ui.test_told_range import teach

pytestmark = pytest.mark.gui


def test_the_board_shows_the_told_range(make_display, server, staff, clock) -> None:
    teach(server, staff, clock)
    with server.client(staff.manager) as http:
        row = next(
            r for r in http.get("/queue").json()["services"] if r["service_id"] == "residence"
        )
    low, high = (round(end / 60) for end in row["estimated_wait_range_seconds"])
    display = make_display()
    app = display.app
    display.until(lambda: app.connected, what="the connection")
    shown = f"{low}–{high} min"
    display.until(
        lambda: any(shown in text for text in app.screen.texts()), what=f"the range {shown}"
    )
    display.screenshot("display-told-range")
