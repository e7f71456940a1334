"""The feedback terminal under Xvfb against a real server: a visit finished at its counter
brings the question up, one tap stores one rating, a second tap stores nothing; the
exit terminal asks for the ticket number first; ratings survive a server outage."""

from __future__ import annotations

import sqlite3

import pytest

from tests.server.test_stats import serve
from tests.support.kivy_harness import Driver, find

pytestmark = pytest.mark.gui


def ratings(server) -> list[tuple]:
    with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
        return conn.execute(
            "SELECT ticket_id, rating, service_id, counter_id, clerk, device FROM feedback"
        ).fetchall()


def double_tap(terminal: Driver, widget) -> None:
    """Two quick taps on the same spot, as an impatient finger would."""
    from kivy.tests.common import UnitTestTouch

    x, y = widget.to_window(*widget.center)
    for _ in range(2):
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
    terminal.pump(0.1)


def test_finished_visit_at_its_counter_is_rated_once(
    make_terminal, server, staff, clock, tmp_path
) -> None:
    terminal = make_terminal()
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    assert not app.exit_terminal
    assert app.counter_name == "1. lodziņš"
    terminal.screenshot("feedback-idle")

    ticket = serve(server, staff, clock, wait=60, service=240, language="ru")
    terminal.until(lambda: app.manager.current == "question", what="the question")
    question = app.screens["question"]
    assert find(question, "question_label").text == "Как вас обслужили?"
    assert ticket["number"] in find(question, "ticket_label").text
    assert find(question, "face_1").text.endswith("Очень плохо")
    assert app.counter_name == "Окно 1"
    assert 0 < question.seconds_left <= 30
    terminal.screenshot("feedback-question")

    double_tap(terminal, find(question, "face_4"))
    assert app.manager.current == "thanks"
    assert find(app.screens["thanks"], "thanks_label").text == "Спасибо!"
    terminal.screenshot("feedback-thanks")
    terminal.key(ord("5"), "5")  # a key press on the thanks screen stores nothing either
    terminal.until(lambda: len(ratings(server)) == 1, what="the rating on the server")
    terminal.until(
        lambda: not list((tmp_path / "feedback-outbox").glob("*.json")),
        what="the outbox to empty",
    )
    terminal.pump(0.5)
    assert ratings(server) == [(ticket["id"], 4, "residence", "c1", "clerk-c1", "feedback-1")]

    # A visit at another counter is not this terminal's to ask about.
    serve(server, staff, clock, wait=10, service=10, counter="c2")
    terminal.advance(5)  # the thanks stay five seconds
    assert app.manager.current == "idle", "back to waiting"
    terminal.pump(0.5)
    assert app.manager.current == "idle"
    assert len(ratings(server)) == 1


def test_an_unanswered_question_goes_away(make_terminal, server, staff, clock) -> None:
    terminal = make_terminal(question_seconds=1.5)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    serve(server, staff, clock, wait=10, service=10, language="en")
    terminal.until(lambda: app.manager.current == "question", what="the question")
    assert find(app.screens["question"], "question_label").text == "How was your service?"
    terminal.advance(1)
    assert app.manager.current == "question", "the question stays its time"
    terminal.advance(0.6)
    assert app.manager.current == "idle", "the question closed after 1.5 s"
    assert ratings(server) == []


def test_rating_by_keyboard(make_terminal, server, staff, clock) -> None:
    terminal = make_terminal()
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    ticket = serve(server, staff, clock, wait=10, service=10)
    terminal.until(lambda: app.manager.current == "question", what="the question")
    terminal.key(ord("2"), "2")
    assert app.manager.current == "thanks"
    terminal.until(lambda: len(ratings(server)) == 1, what="the rating on the server")
    assert ratings(server)[0][:2] == (ticket["id"], 2)


def test_exit_terminal_asks_for_the_ticket_number_first(
    make_terminal, server, staff, clock
) -> None:
    ticket = serve(server, staff, clock, wait=30, service=30, counter="c2", language="en")
    terminal = make_terminal(token=staff.exit_feedback)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "entry", what="the number entry")
    assert app.exit_terminal
    entry = app.screens["entry"]
    assert "Rate your visit" in entry.prompt

    def tap_number(number: str) -> None:
        for char in number:
            key = next(k for k in find(entry, "keys_box").walk() if getattr(k, "text", "") == char)
            terminal.tap(key)

    tap_number("A9")
    terminal.tap(find(entry, "entry_ok_button"))
    terminal.until(lambda: entry.error != "", what="the error for an unknown number")
    assert "There is no ticket with this number today." in entry.error
    assert entry.typed == "A9", "the number stays, to be corrected"
    terminal.screenshot("feedback-exit-entry-error")

    terminal.tap(find(entry, "erase_button"))
    terminal.tap(find(entry, "erase_button"))
    assert entry.typed == "" and entry.error == ""
    tap_number(ticket["number"].replace("00", ""))  # A1 is A001
    terminal.screenshot("feedback-exit-entry")
    terminal.tap(find(entry, "entry_ok_button"))
    terminal.until(lambda: app.manager.current == "question", what="the question")
    assert find(app.screens["question"], "question_label").text == "How was your service?"
    terminal.tap(find(app.screens["question"], "face_5"))
    terminal.until(lambda: len(ratings(server)) == 1, what="the rating on the server")
    assert ratings(server)[0][:4] == (ticket["id"], 5, "residence", "c2")
    terminal.advance(5)
    assert app.manager.current == "entry", "back to the entry"

    # The same number again: already rated, nothing asked, nothing stored.
    terminal.type_text(ticket["number"] + "\r")
    terminal.until(lambda: entry.error != "", what="the already-rated answer")
    assert "already been rated" in entry.error
    assert app.manager.current == "entry"
    assert len(ratings(server)) == 1


def test_a_rating_given_while_the_server_is_away_arrives_once(
    make_terminal, server, staff, clock, tmp_path
) -> None:
    outbox = tmp_path / "feedback-outbox"
    terminal = make_terminal(status_interval_seconds=0.3)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    ticket = serve(server, staff, clock, wait=10, service=10)
    terminal.until(lambda: app.manager.current == "question", what="the question")
    server.stop()
    terminal.tap(find(app.screens["question"], "face_3"))
    assert app.manager.current == "thanks"
    terminal.pump(1.0)
    assert len(list(outbox.glob("*.json"))) == 1
    # The terminal is switched off and on again while the server is still away.
    terminal.stop()
    terminal = make_terminal(status_interval_seconds=0.3)
    terminal.pump(1.0)
    assert terminal.app.manager.current == "unavailable"
    assert len(list(outbox.glob("*.json"))) == 1
    server.start()
    terminal.until(lambda: not list(outbox.glob("*.json")), timeout=20, what="the outbox to empty")
    terminal.pump(1.0)
    assert ratings(server)[0][:2] == (ticket["id"], 3)
    assert len(ratings(server)) == 1


def test_accessibility_one_step_away_and_no_silent_timeout_in_speech_mode(
    make_terminal, server, staff, clock
) -> None:
    terminal = make_terminal(question_seconds=1.5, thanks_seconds=0.5)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    serve(server, staff, clock, wait=10, service=10, language="en")
    terminal.until(lambda: app.manager.current == "question", what="the question")
    question = app.screens["question"]
    terminal.tap(find(question, "large_text_toggle"))
    terminal.tap(find(question, "contrast_toggle"))
    assert app.text_scale > 1 and app.high_contrast
    terminal.tap(find(question, "speech_toggle"))
    assert app.speech_on
    terminal.until(
        lambda: any("How was your service?" in u.text for u in app.speaker.history),
        what="the question read aloud",
    )
    terminal.pump(0.3)
    terminal.screenshot("feedback-question-large-contrast")
    # In speech mode the question does not vanish silently after its 1.5 s.
    terminal.advance(30)
    assert app.manager.current == "question"
    assert find(question, "seconds_label").text == "No time limit in speech mode"
    terminal.key(ord("5"), "5")
    assert app.manager.current == "thanks"
    terminal.advance(0.6)
    assert app.manager.current == "idle", "back to waiting"
    # The next visitor starts with the terminal's own settings.
    assert app.text_scale == 1 and not app.high_contrast and not app.speech_on
    terminal.until(lambda: len(ratings(server)) == 1, what="the rating on the server")


def test_an_error_line_moves_nothing_under_the_finger(make_terminal, staff) -> None:
    from kiosk.widgets import KeyButton
    from tests.support.geometry import window_rect

    terminal = make_terminal(token=staff.exit_feedback)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "entry", what="the number entry")
    entry = app.screens["entry"]
    keys = [k for k in find(entry, "keys_box").walk() if isinstance(k, KeyButton)]
    targets = [*keys, find(entry, "erase_button"), find(entry, "entry_ok_button")]

    def places() -> list[tuple[float, ...]]:
        terminal.settle()
        return [window_rect(target) for target in targets]

    def key(char: str):
        return next(k for k in keys if k.text == char)

    before = places()
    terminal.tap(key("A"))
    terminal.tap(key("9"))
    terminal.tap(find(entry, "entry_ok_button"))
    terminal.until(lambda: entry.error != "", what="the error for an unknown number")
    assert places() == before, "the error appeared: nothing moved"
    terminal.tap(key("1"))
    assert entry.error == "" and entry.typed == "A91"
    assert places() == before, "the error went: nothing moved"
