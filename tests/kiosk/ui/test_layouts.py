"""Layouts hold in every mode: every kiosk screen in Latvian, Russian and English, with
normal text, larger text and high contrast, on a portrait and a landscape screen, with
nothing cut off, covered or squeezed (checked by widget geometry), and the accessibility
switches on every screen.

With RINDA_TOUR=1 each combination is also saved as a screenshot (a tour to look at) in
$RINDA_SCREENSHOTS/tour/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kiosk.backend import TicketOutcome
from tests.support.geometry import SLACK, inside, layout_problems, window_rect
from tests.support.kivy_harness import Driver

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ORIENTATIONS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
LANGUAGES = ("lv", "ru", "en")
MODES = ("normal", "larger", "contrast")
TOUR = bool(os.environ.get("RINDA_TOUR"))


def set_mode(app, mode: str) -> None:
    app.set_large_text(mode == "larger")
    app.set_contrast(mode == "contrast")


def kiosk_states(kiosk: Driver, outcome: TicketOutcome) -> Iterator[str]:
    """Bring up each screen in turn (in the app's current language and mode)."""
    from kiosk.viewmodels import categories

    app = kiosk.app
    services = app.screens["services"]
    app.home()
    yield "start"
    app.choose_services("ticket")
    yield "services-categories"
    topic = categories(app.catalogue, app.language)[0]
    services.open_group("category", topic.id, topic.name)
    yield "services-group"
    services.show_view("situations")
    yield "services-situations"
    services.show_view("search")
    services.ids.search_input.text = "a"
    yield "services-search"
    services.ids.search_input.text = "zzzz"
    yield "services-search-nothing"
    app.choose_service("residence")
    yield "priority"
    ticket = app.screens["ticket"]
    app.go("ticket")
    ticket.start("residence")
    yield "ticket-issuing"
    ticket.show_outcome(outcome)
    yield "ticket"
    ticket.start("residence")
    ticket.show_outcome(TicketOutcome(outcome.ticket, printed=False, printer_error="paper_out"))
    yield "ticket-not-printed"
    app.show_info("certificates")
    yield "info"
    app.go("unavailable")
    yield "unavailable"
    queue = app.catalogue.queue
    app.catalogue.queue = replace(
        queue,
        centre=replace(
            queue.centre, is_open=False, opens_at=datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
        ),
    )
    app.screens["closed"].refresh()
    app.go("closed")
    yield "closed"
    app.catalogue.queue = queue
    app.start_application()
    yield "application-types"
    form_screen = app.screens["application"]
    form_screen.choose_type(app.backend.application_types[0])
    yield "application-name"
    form_screen.change("personal_code")  # the keyboard with digits
    form_screen.ids.field_input.text = "1"
    form_screen.next()  # a wrong code: the error line shows
    assert form_screen.error
    yield "application-code-error"
    from kiosk.backend import CheckInResult

    app.start_check_in()
    check_in = app.screens["checkin"]
    check_in.ids.code_input.text = "K7MP-3XQ9"
    yield "check-in-code"
    check_in.answered(CheckInResult(None, error_code="unknown_appointment"))
    yield "check-in-wrong-code"
    booked = {"service_id": "residence", "starts_at": "2026-11-23T12:00:00+00:00"}
    check_in.answered(CheckInResult({**booked, "outcome": "early",
                                     "opens_at": "2026-11-23T11:30:00+00:00"}))  # fmt: skip
    yield "check-in-early"
    check_in.answered(CheckInResult({**booked, "outcome": "late", "normal_ticket": True}))
    yield "check-in-late"
    app.choose_services("ticket")
    kiosk.advance(app.kiosk_config.idle_seconds)
    assert app._warning is not None
    yield "idle-warning"
    app.user_active()


def check(kiosk: Driver, name: str, size: tuple[int, int]) -> list[str]:
    """The problems on the screen now (after the layout has settled)."""
    from kivy.core.window import Window

    from kiosk.screens.frame import AccessibilityBar

    kiosk.settle()
    screen_rect = (0.0, 0.0, float(size[0]), float(size[1]))
    problems = [
        f"{name}: {p}" for root in Window.children for p in layout_problems(root, screen_rect)
    ]
    screen = kiosk.app.manager.current_screen
    bars = [w for w in screen.walk() if isinstance(w, AccessibilityBar) and w.opacity > 0]
    if not bars:
        problems.append(f"{name}: no accessibility switches")
    elif not inside(window_rect(bars[0]), screen_rect):
        problems.append(f"{name}: the accessibility switches leave the screen")
    return problems


@pytest.fixture(params=list(ORIENTATIONS), scope="module")
def orientation(request) -> str:
    return str(request.param)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kiosk_screen_in_every_mode(
    make_kiosk: Callable[..., Driver], orientation: str, language: str
) -> None:
    size = ORIENTATIONS[orientation]
    kiosk = make_kiosk(size=size)
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    app.choose_service("residence")
    app.take_ticket("residence", priority=False)
    kiosk.until(lambda: app.outcome is not None, what="a ticket to show")
    outcome = app.outcome
    assert outcome is not None and outcome.ticket is not None
    app.finish_visit()
    app.set_language(language)
    problems: list[str] = []
    for mode in MODES:
        set_mode(app, mode)
        for state in kiosk_states(kiosk, outcome):
            name = f"{state} {language} {mode} {orientation}"
            problems += check(kiosk, name, size)
            if TOUR:
                kiosk.screenshot(f"tour/kiosk-{state}-{language}-{mode}-{orientation}")
    assert not problems, "\n".join(problems)


FEEDBACK_ORIENTATIONS = {"landscape": (1280, 800), "portrait": (800, 1280)}


def feedback_states(terminal: Driver, language: str, visit_id: str) -> Iterator[str]:
    """Each feedback-terminal screen in turn, the question in `language`."""
    from feedback.flow import VisitToRate

    app = terminal.app
    app.flow.rest()
    app._show()
    yield "idle" if not app.exit_terminal else "entry"
    if app.exit_terminal:
        entry = app.screens["entry"]
        for char in "A12":
            entry.type_key(char)
        yield "entry-typed"
        entry.failed("unknown_visit")
        yield "entry-error"
        entry.clear()
    assert app.flow.ask(VisitToRate(visit_id, "A012", language, "residence"), app.monotonic())
    app._show()
    yield "question"
    app.rate(4)
    yield "thanks"
    app.flow.rest()
    app.connected = False
    app._show()
    yield "unavailable"
    app.connected = True


@pytest.mark.parametrize("terminal_kind", ["counter", "exit"])
@pytest.mark.parametrize("orientation_name", list(FEEDBACK_ORIENTATIONS))
def test_every_feedback_screen_in_every_mode(
    make_terminal,
    staff,
    terminal_kind: str,
    orientation_name: str,
) -> None:
    size = FEEDBACK_ORIENTATIONS[orientation_name]
    token = staff.feedback if terminal_kind == "counter" else staff.exit_feedback
    terminal = make_terminal(size=size, token=token)
    app = terminal.app
    rest = "idle" if terminal_kind == "counter" else "entry"
    terminal.until(lambda: app.manager.current == rest, what="the resting screen")
    app.backend.rate = lambda visit, rating: None  # layouts only: nothing to store
    problems: list[str] = []
    for language in LANGUAGES:
        for mode in MODES:
            set_mode(app, mode)
            for state in feedback_states(terminal, language, f"{language}-{mode}"):
                set_mode(app, mode)  # the terminal resets after each visitor
                name = f"feedback-{terminal_kind} {state} {language} {mode} {orientation_name}"
                problems += check(terminal, name, size)
                if TOUR:
                    terminal.screenshot(
                        f"tour/feedback-{terminal_kind}-{state}-{language}-{mode}-{orientation_name}"
                    )
    assert not problems, "\n".join(problems)


def face_sizes(terminal: Driver) -> list[float]:
    """The drawn size of each face on the question screen (checked to be drawn inside its
    widget)."""
    from kivy.graphics import Ellipse

    from feedback.screens import FaceDrawing

    terminal.settle()
    terminal.pump(0.05)
    question = terminal.app.screens["question"]
    sizes = []
    for drawing in (w for w in question.walk() if isinstance(w, FaceDrawing)):
        face = next(i for i in drawing.canvas.children if isinstance(i, Ellipse))
        x, y = face.pos
        assert drawing.x - SLACK <= x and x + face.size[0] <= drawing.right + SLACK
        assert drawing.y - SLACK <= y and y + face.size[1] <= drawing.top + SLACK
        sizes.append(face.size[0])
    assert len(sizes) == 5
    return sizes


@pytest.mark.parametrize("orientation_name", list(FEEDBACK_ORIENTATIONS))
def test_larger_text_keeps_the_faces_large(
    make_terminal,
    orientation_name: str,
) -> None:
    from feedback.flow import VisitToRate

    size = FEEDBACK_ORIENTATIONS[orientation_name]
    terminal = make_terminal(size=size)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    for language in LANGUAGES:
        app.flow.ask(
            VisitToRate(f"faces-{language}", "A012", language, "residence"), app.monotonic()
        )
        app._show()
        set_mode(app, "normal")
        normal = min(face_sizes(terminal))
        set_mode(app, "larger")
        larger = min(face_sizes(terminal))
        assert normal >= 120, f"{language}: the faces are {normal:.0f} px"
        assert larger >= 0.9 * normal, (
            f"{language}: larger text shrinks the faces from {normal:.0f} to {larger:.0f} px"
        )
