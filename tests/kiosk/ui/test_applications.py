"""Lodging an application at the kiosk, its receipt, the outbox, the status check."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from core.i18n import format_date
from printer.profiles import profile_info
from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.kivy_harness import find, texts

pytestmark = pytest.mark.gui
KEY_BACKSPACE = 8


def stored(server) -> list[tuple]:
    with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
        return conn.execute(
            "SELECT registration_number, kiosk_reference, fields FROM applications"
        ).fetchall()


def key_with_face(keyboard, face: str):
    """The on-screen key that shows `face` (letter keys show the case they type)."""
    from kiosk.widgets import KeyButton

    keys = [
        w for w in keyboard.walk() if isinstance(w, KeyButton) and w.text.lower() == face.lower()
    ]
    assert keys, f"no key {face!r} on the {keyboard.script} keyboard"
    return keys[0]


def tap_keys(kiosk, screen, text: str) -> None:
    """Type on the on-screen keyboard, key by key."""
    keyboard = find(screen, "keyboard")
    for char in text:
        kiosk.tap(key_with_face(keyboard, {" ": "␣"}.get(char, char)))


def fill_in(kiosk, screen, with_bad_code: bool = True) -> None:
    """Choose the certificate request and go through every step up to the review."""
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    assert screen.form.current == "name"
    tap_keys(kiosk, screen, "jānis")
    kiosk.type_text(" Bērziņš")  # a physical keyboard types exactly what is pressed
    assert find(screen, "field_input").text == "Jānis Bērziņš"
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "personal_code"
    tap_keys(kiosk, screen, "120389-1122")
    kiosk.type_text("1" if with_bad_code else "0")
    kiosk.tap(find(screen, "next_button"))
    if with_bad_code:
        assert screen.form.current == "personal_code"
        assert "Personas kodā ir kļūda" in find(screen, "error_label").text
        kiosk.key(KEY_BACKSPACE)
        kiosk.type_text("0")
        kiosk.tap(find(screen, "next_button"))
    # How to receive the answer comes before the contact fields it may make necessary.
    assert screen.form.current == "delivery"
    kiosk.tap(button_with(screen, "Saņemšu klātienē"))
    assert screen.form.current == "phone"
    kiosk.type_text("20000000")
    kiosk.tap(find(screen, "next_button"))
    kiosk.tap(find(screen, "next_button"))  # e-mail: optional
    kiosk.tap(find(screen, "next_button"))  # address: optional
    assert screen.form.current == "text"
    kiosk.type_text("Lūdzu izziņu par dzīvesvietu. <script>alert(1)</script>")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "consent"
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "review"


def test_lodge_with_a_correction_and_a_printed_receipt(make_kiosk, server, staff, tmp_path) -> None:
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(
            printer=f"network:{printer.spec_address};profile=TM-T20II",
            outbox_dir=tmp_path / "outbox",
        )
        app = kiosk.app
        kiosk.until(
            lambda: app.manager.current == "start" and app.applications_enabled,
            what="the start screen with applications",
        )
        kiosk.tap(find(app.screens["start"], "lodge_button"))
        screen = app.screens["application"]
        fill_in(kiosk, screen)
        assert "Jānis Bērziņš" in button_with(screen, "Vārds, uzvārds").text
        kiosk.tap(find(screen, "next_button"))
        kiosk.until(lambda: screen.mode == "done", what="the lodged application")
        number = screen.result["result"].registration_number
        assert number == "KAC/2026/000001"
        assert screen.result["printed"]
        printer.wait_for_jobs(1)
        kiosk.screenshot("kiosk-application-done")
    printed = decode(printer.printed(), profile_info("TM-T20II").code_pages)
    assert number in printed.text
    assert screen.result["result"].secret in printed.text
    rows = stored(server)
    assert len(rows) == 1 and "Jānis Bērziņš" in rows[0][2] and "120389-11220" in rows[0][2]
    assert not list((tmp_path / "outbox").glob("*.json"))


def test_outbox_survives_a_restart_and_sends_exactly_once(
    make_kiosk, server, staff, tmp_path
) -> None:
    outbox = tmp_path / "outbox"
    kiosk = make_kiosk(outbox_dir=outbox, status_interval_seconds=0.3)
    app = kiosk.app
    kiosk.until(
        lambda: app.manager.current == "start" and app.applications_enabled,
        what="the start screen with applications",
    )
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    fill_in(kiosk, screen, with_bad_code=False)
    server.stop()  # the server goes away just before the visitor submits
    kiosk.tap(find(screen, "next_button"))
    # Sending is retried for 8 s (on the kiosk's clock), then the form waits in the outbox.
    kiosk.advance_until(lambda: screen.mode == "queued", what="the honest 'saved here' screen")
    reference = screen.result["reference"]
    assert reference in find(screen, "content").children[0].text
    kiosk.screenshot("kiosk-application-queued")
    assert len(list(outbox.glob("*.json"))) == 1
    # The kiosk is switched off and on again while the server is still down.
    kiosk.stop()
    kiosk = make_kiosk(outbox_dir=outbox, status_interval_seconds=0.3)
    kiosk.pump(1.0)
    assert len(list(outbox.glob("*.json"))) == 1
    server.start()
    kiosk.until(lambda: not list(outbox.glob("*.json")), timeout=20, what="the outbox to empty")
    kiosk.pump(1.0)
    rows = stored(server)
    assert len(rows) == 1
    assert rows[0][1] == reference


def test_check_status_at_the_kiosk(make_kiosk, server, staff) -> None:
    with server.client(staff.kiosk) as http:
        lodged = http.post(
            "/applications",
            json={
                "type_id": "specialist-meeting",
                "language": "lv",
                "consent": True,
                "fields": {"name": "Anna", "phone": "20000000", "text": "Tikšanās"},
            },
        ).json()
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start" and app.applications_enabled, what="start")
    kiosk.tap(find(app.screens["start"], "status_button"))
    screen = app.screens["application"]
    assert screen.mode == "lookup_number"
    kiosk.type_text(lodged["registration_number"])
    kiosk.tap(find(screen, "next_button"))
    kiosk.type_text("WRONG-CODE")
    kiosk.tap(find(screen, "next_button"))
    kiosk.until(lambda: "Nav atrasts" in find(screen, "error_label").text, what="not found")
    for _ in range(10):
        kiosk.key(KEY_BACKSPACE)
    kiosk.type_text(lodged["secret"])
    kiosk.tap(find(screen, "next_button"))
    kiosk.until(lambda: screen.mode == "lookup_result", what="the status")
    assert "saņemts" in find(screen, "content").children[0].text


def test_answer_by_e_mail_is_asked_for_on_its_step_and_corrections_return_to_review(
    make_kiosk, server
) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(
        lambda: app.manager.current == "start" and app.applications_enabled,
        what="the start screen with applications",
    )
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    kiosk.type_text("Anna Ozola")
    kiosk.tap(find(screen, "next_button"))
    kiosk.type_text("120389-11220")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "delivery", "how to answer comes before the contacts"
    next_button = find(screen, "next_button")
    assert next_button.opacity == 1 and next_button.height > 0, "a choice step has Next too"
    kiosk.tap(button_with(screen, "Pa e-pastu"))
    assert screen.form.current == "phone"
    kiosk.tap(find(screen, "next_button"))  # no phone
    assert screen.form.current == "email"
    # Said before asking: needed, and why.
    assert "(obligāti)" in find(screen, "prompt_label").text
    assert "pa e-pastu" in find(screen, "need_label").text
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "email", "checked on its own step, not after Submit"
    assert "jāaizpilda" in find(screen, "error_label").text
    kiosk.type_text("anna@example.lv")
    kiosk.tap(find(screen, "next_button"))
    kiosk.tap(find(screen, "next_button"))  # address: optional
    kiosk.type_text("Lūdzu izziņu.")
    kiosk.tap(find(screen, "next_button"))
    kiosk.tap(find(screen, "next_button"))  # consent
    assert screen.form.current == "review"
    # A correction from the review comes straight back to the review.
    kiosk.tap(button_with(screen, "anna@example.lv"))
    assert screen.form.current == "email"
    kiosk.type_text("x")
    kiosk.key(KEY_BACKSPACE)
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "review"
    kiosk.tap(find(screen, "next_button"))
    kiosk.until(lambda: screen.mode == "done", what="the lodged application")
    assert len(stored(server)) == 1
    # The deadline reads as on the printed receipt, not as the API's ISO date.
    deadline = screen.result["result"].answer_deadline
    shown = " ".join(texts(screen))
    assert format_date(deadline, "lv") in shown and deadline.isoformat() not in shown


def code_born(day: date) -> str:
    """A valid legacy personal code for someone born on `day` (before July 2017)."""
    from core.personal_code import legacy_check_digit

    century = {1800: "0", 1900: "1", 2000: "2"}[day.year // 100 * 100]
    for serial in range(1000):
        digits = f"{day:%d%m%y}{century}{serial:03d}"
        check = legacy_check_digit(digits)
        if check < 10:
            return f"{digits[:6]}-{digits[6:]}{check}"
    raise AssertionError("no code")


def test_the_form_knows_today_by_the_centres_date(make_kiosk, terminal_clock) -> None:
    """A birth date is "in the future" by the date at the centre on the kiosk's clock,
    never by the computer's own date or time zone."""
    from datetime import UTC, datetime

    # 22:30 UTC on 31 December 2016 is already 1 January 2017 at the centre (Riga).
    terminal_clock.set(datetime(2016, 12, 31, 22, 30, tzinfo=UTC))
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start" and app.applications_enabled, what="start")
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    kiosk.type_text("Jānis Bērziņš")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "personal_code"
    kiosk.type_text(code_born(date(2017, 1, 2)))  # born tomorrow
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "personal_code", "a birth date after today is refused"
    assert "dzimšanas datuma" in find(screen, "error_label").text
    find(screen, "field_input").text = code_born(date(2017, 1, 1))  # born today
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "delivery", "today's birth date is no future one"


def test_an_error_line_moves_nothing_under_the_finger(make_kiosk, server, staff) -> None:
    """An error appearing or going under a field, a choice or the status check moves no
    key, choice or button (it moved the keyboard 43 px under the visitor's finger)."""
    from kiosk.widgets import KeyButton
    from tests.support.geometry import window_rect

    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start" and app.applications_enabled, what="start")
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    kiosk.type_text("Jānis Bērziņš")
    kiosk.tap(find(screen, "next_button"))

    def places(targets: list) -> list[tuple[float, ...]]:
        kiosk.settle()
        return [window_rect(target) for target in targets]

    def keys_and_buttons() -> list:
        keys = [k for k in find(screen, "keyboard").walk() if isinstance(k, KeyButton)]
        return [*keys, find(screen, "next_button"), find(screen, "back_button")]

    # A field: a wrong personal code, then the correction.
    targets = keys_and_buttons()
    before = places(targets)
    kiosk.type_text("120389-11221")
    kiosk.tap(find(screen, "next_button"))
    assert screen.error, "the wrong code is named"
    assert places(targets) == before, "the error appeared: nothing moved"
    kiosk.key(KEY_BACKSPACE)
    assert not screen.error
    assert places(targets) == before, "the error went: nothing moved"

    # A choice: Next without choosing.
    kiosk.type_text("0")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "delivery"

    def choices_and_buttons() -> list:
        # (the step is drawn anew with its error: the choices are new buttons in the
        # same places)
        return [*find(screen, "content").children, find(screen, "next_button")]

    before = places(choices_and_buttons())
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "delivery" and screen.error, "a choice is needed"
    assert places(choices_and_buttons()) == before, "the error appeared: no choice moved"

    # The status check: a code that does not match.
    app.finish_visit()
    kiosk.tap(find(app.screens["start"], "status_button"))
    kiosk.type_text("2026/1")
    kiosk.tap(find(screen, "next_button"))
    assert screen.mode == "lookup_secret"
    targets = keys_and_buttons()
    before = places(targets)
    kiosk.type_text("WRONG-CODE")
    kiosk.tap(find(screen, "next_button"))
    kiosk.until(lambda: bool(screen.error), what="not found")
    assert places(targets) == before, "the error appeared: nothing moved"


def test_a_long_text_scrolls_in_its_field_and_moves_no_key(make_kiosk) -> None:
    from kiosk.widgets import KeyButton
    from tests.support.geometry import inside, window_rect

    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start" and app.applications_enabled, what="start")
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    screen.change("text")
    assert screen.multiline
    field = find(screen, "field_input")
    keys = [k for k in find(screen, "keyboard").walk() if isinstance(k, KeyButton)]
    kiosk.settle()
    before = [window_rect(k) for k in keys]
    for line in range(1, 9):
        kiosk.type_text(f"Rinda {line}: lūdzu izziņu par dzīvesvietu un deklarēšanu. ")
        kiosk.settle()
        assert [window_rect(k) for k in keys] == before, f"line {line} moved the keyboard"
    cursor_x, cursor_y = field.to_window(*field.cursor_pos)
    assert inside(
        (cursor_x, cursor_y - field.line_height, 1, field.line_height), window_rect(field)
    ), "the field shows where the visitor is typing"
