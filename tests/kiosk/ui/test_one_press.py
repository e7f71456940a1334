"""One press, one ticket: whatever the touch driver delivers (a second finger 30 ms after
the first, one press delivered twice as down, down, up, up), an action that creates
something (a ticket, a printout, an application, a rating) happens once per visitor intent.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.feedback.ui.test_feedback_terminal import ratings
from tests.kiosk.ui.test_applications import fill_in, stored
from tests.kiosk.ui.test_faults import tickets_in
from tests.kiosk.ui.test_ticket_flow import button_with
from tests.server.test_stats import serve
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.kivy_harness import Driver, find

pytestmark = pytest.mark.gui
CUT = b"\x1dV"
"""GS V: every printed document ends with a cut."""


def second_finger(driver: Driver, widget) -> None:
    """A second finger lands 30 ms after the first, a little to the side; both lift."""
    from kivy.tests.common import UnitTestTouch

    driver.pump(0.05)  # laid out where the finger lands
    x, y = widget.to_window(*widget.center)
    first, second = UnitTestTouch(x, y), UnitTestTouch(x + 14, y - 6)
    first.touch_down()
    time.sleep(0.03)
    second.touch_down()
    first.touch_up()
    second.touch_up()
    driver.pump(0.1)


def delivered_twice(driver: Driver, widget) -> None:
    """One press the touch driver reports twice: down, down, up, up at the same spot."""
    from kivy.tests.common import UnitTestTouch

    driver.pump(0.05)
    x, y = widget.to_window(*widget.center)
    first, again = UnitTestTouch(x, y), UnitTestTouch(x, y)
    first.touch_down()
    again.touch_down()
    first.touch_up()
    again.touch_up()
    driver.pump(0.1)


PRESSES: dict[str, Callable[[Driver, object], None]] = {
    "second finger": second_finger,
    "delivered twice": delivered_twice,
}


def no_second(count: Callable[[], int], seconds: float = 2.0) -> int:
    """What `count()` settles at: a second ticket or printout, if any, would be under way
    already (the first is done), so a short look is enough to see it arrive."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and count() < 2:
        time.sleep(0.05)
    return count()


@pytest.mark.parametrize("press", list(PRESSES))
def test_priority_choice_issues_and_prints_one_ticket(make_kiosk, server, press: str) -> None:
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address};profile=TM-T20II")
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start")
        kiosk.tap(find(app.screens["start"], "take_ticket_button"))
        services = app.screens["services"]
        kiosk.tap(button_with(services, "Dzīvesvieta un dokumenti"))
        kiosk.tap(button_with(services, "Dzīvesvietas deklarēšana"))
        PRESSES[press](kiosk, find(app.screens["priority"], "priority_no_button"))
        kiosk.until(lambda: app.screens["ticket"].state == "issued", what="the ticket")
        kiosk.until(lambda: tickets_in(server) == [("A001", 1)], what="the print report")
        assert no_second(lambda: len(tickets_in(server))) == 1
        assert no_second(lambda: printer.printed().count(CUT)) == 1
    assert app.screens["ticket"].number == "A001"


def test_a_service_button_without_the_priority_question(make_kiosk, server) -> None:
    kiosk = make_kiosk(priority=False)
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    kiosk.tap(button_with(services, "Dzīvesvieta un dokumenti"))
    second_finger(kiosk, button_with(services, "Dzīvesvietas deklarēšana"))
    kiosk.until(lambda: app.screens["ticket"].state == "issued", what="the ticket")
    assert no_second(lambda: len(tickets_in(server))) == 1


def test_the_next_visitor_gets_a_ticket_of_their_own(make_kiosk, server) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    for number in ("A001", "A002"):
        kiosk.until(lambda: app.manager.current == "start")
        kiosk.tap(find(app.screens["start"], "take_ticket_button"))
        services = app.screens["services"]
        kiosk.tap(button_with(services, "Dzīvesvieta un dokumenti"))
        kiosk.tap(button_with(services, "Dzīvesvietas deklarēšana"))
        kiosk.tap(find(app.screens["priority"], "priority_no_button"))
        kiosk.until(lambda: app.screens["ticket"].state == "issued", what="the ticket")
        assert app.screens["ticket"].number == number
        kiosk.tap(find(app.screens["ticket"], "done_button"))


def test_printing_a_service_standard_once_per_press(make_kiosk) -> None:
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address};profile=TM-T20II")
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start")
        app.choose_services("info")
        services = app.screens["services"]
        kiosk.tap(button_with(services, "Īpašums un būvniecība"))
        kiosk.tap(button_with(services, "Būvvaldes konsultācijas"))
        info = app.screens["info"]
        delivered_twice(kiosk, find(info, "print_button"))
        kiosk.until(lambda: info.print_status not in ("", "…"), what="the printout")
        assert no_second(lambda: printer.printed().count(CUT)) == 1
        kiosk.tap(find(info, "print_button"))  # a new press after it printed: a new copy
        kiosk.until(lambda: printer.printed().count(CUT) == 2, what="the second copy")


def test_submitting_an_application_once(make_kiosk, server, tmp_path) -> None:
    kiosk = make_kiosk(outbox_dir=tmp_path / "outbox")
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start" and app.applications_enabled)
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    fill_in(kiosk, screen, with_bad_code=False)
    second_finger(kiosk, find(screen, "next_button"))
    kiosk.until(lambda: screen.mode == "done", what="the lodged application")
    assert no_second(lambda: len(stored(server))) == 1


@pytest.mark.parametrize("press", list(PRESSES))
def test_a_face_pressed_with_two_fingers_is_one_rating(
    make_terminal,
    server,
    staff,
    clock,
    press: str,
) -> None:
    terminal = make_terminal()
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    serve(server, staff, clock, wait=10, service=10)
    terminal.until(lambda: app.manager.current == "question", what="the question")
    PRESSES[press](terminal, find(app.screens["question"], "face_4"))
    assert app.manager.current == "thanks"
    terminal.until(lambda: len(ratings(server)) == 1, what="the rating on the server")
    assert no_second(lambda: len(ratings(server))) == 1
