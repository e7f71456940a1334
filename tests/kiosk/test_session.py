"""The visitor session, without a window: idle rules and once-per-intent actions."""

from __future__ import annotations

from kiosk.session import IdleRules, VisitorSession

RULES = IdleRules(idle_seconds=60, warning_seconds=20)


def test_idle_warning_then_reset() -> None:
    session = VisitorSession(started_at=100, language="lv")
    assert session.idle_state(159, RULES) == "active"
    assert session.idle_state(161, RULES) == "warning"
    assert session.seconds_left(161, RULES) == 19
    assert session.idle_state(181, RULES) == "reset"
    session.touch(181)
    assert session.idle_state(181, RULES) == "active"


def test_an_action_is_begun_once_per_intent() -> None:
    session = VisitorSession(started_at=0, language="lv")
    key = session.begin(("ticket", "residence"))
    assert key is not None
    assert session.begin(("ticket", "residence")) is None, "a repeated press creates nothing"
    other = session.begin(("ticket", "building-board"))
    assert other is not None and other != key
    assert session.asked(("ticket", "residence"))


def test_a_finished_action_may_be_asked_for_again() -> None:
    session = VisitorSession(started_at=0, language="lv")
    first = session.begin(("print", "residence"))
    assert session.begin(("print", "residence")) is None
    session.done(("print", "residence"))
    second = session.begin(("print", "residence"))
    assert second is not None and second != first


def test_each_session_has_its_own_keys() -> None:
    first = VisitorSession(started_at=0, language="lv").begin(("ticket", "residence"))
    second = VisitorSession(started_at=0, language="lv").begin(("ticket", "residence"))
    assert first != second, "the next visitor's ticket is a new ticket"
