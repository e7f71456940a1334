"""Non-text contrast measured on screenshots (WCAG 2.1 SC 1.4.11): the edge of every field
and control stands out 3:1 from the page in the normal, larger-text and high-contrast
modes, and a selected tab, choice or switch is shown by more than colour and stays shown
after the finger lifts. The screenshots are kept in $RINDA_SCREENSHOTS to be looked at."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.contrast import (
    NON_TEXT_MINIMUM,
    contrast_ratio,
    edge_contrast,
    fill_colour,
)
from tests.support.kivy_harness import find

pytestmark = pytest.mark.gui

MODES = ("normal", "large", "contrast")


def set_mode(app, mode: str) -> None:
    app.set_large_text(mode == "large")
    app.set_contrast(mode == "contrast")


def shown(widget) -> bool:
    """On screen, not hidden, not clipped by a scrolling list, not disabled."""
    from kivy.core.window import Window
    from kivy.uix.scrollview import ScrollView

    if widget.disabled or widget.height <= 0 or widget.width <= 0:
        return False
    x, y = widget.to_window(*widget.pos)
    if x < 0 or y < 0 or x + widget.width > Window.width or y + widget.height > Window.height:
        return False
    node = widget
    while node is not None and node.parent is not node:
        if getattr(node, "opacity", 1) == 0:
            return False
        if isinstance(node, ScrollView):
            _, sy = node.to_window(*node.pos)
            if y < sy or y + widget.height > sy + node.height:
                return False
        node = node.parent
    return True


def controls(root) -> list:
    """Every button (anything that can be pressed) and text field shown below `root`."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.textinput import TextInput

    return [w for w in root.walk() if isinstance(w, ButtonBehavior | TextInput) and shown(w)]


def describe(widget) -> str:
    return f"{type(widget).__name__} {getattr(widget, 'text', '')[:30]!r}"


def assert_edges_stand_out(kiosk, root, name: str) -> None:
    path = kiosk.screenshot(name)
    image = Image.open(path).convert("RGB")
    found = controls(root)
    assert len(found) >= 5, f"{name}: too few controls found to measure"
    weak = {
        describe(w): round(edge_contrast(image, w), 2)
        for w in found
        if edge_contrast(image, w) < NON_TEXT_MINIMUM
    }
    assert not weak, f"{name}: control edges below 3:1 against the page: {weak}"


def open_application(kiosk, type_name: str = "Izziņas pieprasījums"):
    app = kiosk.app
    kiosk.until(
        lambda: app.manager.current == "start" and app.applications_enabled,
        what="the start screen with applications",
    )
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    kiosk.tap(button_with(screen, type_name))
    return screen


@pytest.mark.parametrize("mode", MODES)
def test_start_search_field_keyboard_and_tabs_stand_out(make_kiosk, mode) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    set_mode(app, mode)
    assert_edges_stand_out(kiosk, app.screens["start"], f"kiosk-contrast-start-{mode}")
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    kiosk.tap(find(services, "search_tab_button"))
    kiosk.type_text("dekl")
    field = services.ids.search_input
    assert field in controls(services), "the search field is measured"
    assert_edges_stand_out(kiosk, services, f"kiosk-contrast-search-{mode}")


@pytest.mark.parametrize("mode", MODES)
def test_form_steps_stand_out(make_kiosk, mode) -> None:
    kiosk = make_kiosk()
    set_mode(kiosk.app, mode)
    screen = open_application(kiosk)
    kiosk.type_text("Jānis Bērziņš")
    assert_edges_stand_out(kiosk, screen, f"kiosk-application-name-{mode}")
    kiosk.tap(find(screen, "next_button"))
    kiosk.type_text("120389-11220")
    assert_edges_stand_out(kiosk, screen, f"kiosk-application-code-{mode}")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "delivery"
    kiosk.tap(button_with(screen, "Pa e-pastu"))
    kiosk.tap(find(screen, "back_button"))  # back to the choice, made
    assert screen.form.current == "delivery"
    assert_edges_stand_out(kiosk, screen, f"kiosk-application-delivery-{mode}")
    kiosk.tap(find(screen, "next_button"))
    kiosk.tap(find(screen, "next_button"))  # phone: optional
    kiosk.tap(find(screen, "next_button"))  # e-mail: needed, empty
    assert screen.form.current == "email"
    assert_edges_stand_out(kiosk, screen, f"kiosk-application-email-{mode}")


@pytest.mark.parametrize("theme", ["normal", "contrast"])
def test_the_selected_tab_is_marked_and_stays_marked(make_kiosk, theme) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    set_mode(app, theme)
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    tabs = [find(services, f"{name}_tab_button") for name in ("category", "situation", "search")]
    for chosen in tabs:
        kiosk.tap(chosen)  # pressed and released: the state must survive the release
        kiosk.pump(0.2)
        image = Image.open(kiosk.screenshot(f"kiosk-tabs-{theme}")).convert("RGB")
        others = [tab for tab in tabs if tab is not chosen]
        assert chosen.text.startswith("✓"), "the selected tab is marked, not only coloured"
        assert not any(tab.text.startswith("✓") for tab in others)
        selected_fill = fill_colour(image, chosen)
        for other in others:
            ratio = contrast_ratio(selected_fill, fill_colour(image, other))
            assert ratio >= NON_TEXT_MINIMUM, f"selected vs other tab: {ratio:.2f}:1"


@pytest.mark.parametrize("theme", ["normal", "contrast"])
def test_the_chosen_language_is_marked_as_every_choice_is(make_kiosk, theme) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    set_mode(app, theme)
    start = app.screens["start"]

    def buttons() -> dict:
        return {b.language_code: b for b in start.ids.language_box.children}

    for language in ("ru", "en", "lv"):
        kiosk.tap(buttons()[language])
        kiosk.pump(0.2)
        image = Image.open(kiosk.screenshot(f"kiosk-languages-{theme}")).convert("RGB")
        chosen, others = buttons()[language], [b for c, b in buttons().items() if c != language]
        assert chosen.selected and chosen.text.startswith("✓"), "drawn selected and ticked"
        assert not any(b.selected or b.text.startswith("✓") for b in others)
        for other in others:
            ratio = contrast_ratio(fill_colour(image, chosen), fill_colour(image, other))
            assert ratio >= NON_TEXT_MINIMUM, f"chosen vs other language: {ratio:.2f}:1"


def test_a_switched_on_setting_is_drawn_as_selected_after_release(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    start = app.screens["start"]
    toggle = find(start, "large_text_toggle")
    before = fill_colour(Image.open(kiosk.screenshot("kiosk-toggle-off")), toggle)
    kiosk.tap(toggle)
    kiosk.pump(0.2)
    after = fill_colour(Image.open(kiosk.screenshot("kiosk-toggle-on")), toggle)
    assert app.text_scale > 1
    assert contrast_ratio(before, after) >= NON_TEXT_MINIMUM
    assert toggle.text.endswith(app.t("a11y.on")), "on/off said in words too"


@pytest.mark.parametrize("theme", ["normal", "contrast"])
def test_feedback_number_entry_box_stands_out(make_terminal, staff, theme) -> None:
    terminal = make_terminal(token=staff.exit_feedback)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "entry", what="the number entry")
    app.set_contrast(theme == "contrast")
    entry = app.screens["entry"]
    terminal.type_text("A1")
    image = Image.open(terminal.screenshot(f"feedback-entry-{theme}")).convert("RGB")
    box = find(entry, "typed_label")
    ratio = edge_contrast(image, box)
    assert ratio >= NON_TEXT_MINIMUM, f"the number box's edge: {ratio:.2f}:1"
    weak = {
        describe(w): round(edge_contrast(image, w), 2)
        for w in controls(entry)
        if edge_contrast(image, w) < NON_TEXT_MINIMUM
    }
    assert not weak, weak


@pytest.mark.parametrize("theme", ["normal", "contrast"])
def test_feedback_faces_stand_out(make_terminal, server, staff, clock, theme) -> None:
    from tests.server.test_stats import serve

    terminal = make_terminal()
    app = terminal.app
    terminal.until(lambda: app.manager.current == "idle", what="the waiting screen")
    app.set_contrast(theme == "contrast")
    serve(server, staff, clock, wait=10, service=10, language="en")
    terminal.until(lambda: app.manager.current == "question", what="the question")
    question = app.screens["question"]
    image = Image.open(terminal.screenshot(f"feedback-faces-{theme}")).convert("RGB")
    faces = [find(question, f"face_{n}") for n in range(1, 6)]
    assert all(face in controls(question) for face in faces)
    weak = {
        describe(w): round(edge_contrast(image, w), 2)
        for w in controls(question)
        if edge_contrast(image, w) < NON_TEXT_MINIMUM
    }
    assert not weak, weak
