"""The feedback terminal's screens: waiting, the ticket-number entry (exit terminal),
"How was your service?" with five faces, and thanks.

Each face is drawn (circle, eyes, a mouth from a deep frown to a broad
smile) and labelled in words, so colour is never the only cue.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from core.i18n import t
from kiosk.screens import KioskScreen
from kiosk.widgets import Focusable, text_room

FACE_COLOURS = {
    1: (0.80, 0.18, 0.12, 1),
    2: (0.93, 0.47, 0.12, 1),
    3: (0.96, 0.76, 0.12, 1),
    4: (0.52, 0.74, 0.22, 1),
    5: (0.12, 0.60, 0.28, 1),
}
FEATURES = (0.09, 0.09, 0.11, 1)
ENTRY_KEYS = "1234567890"
KNOWN_ERRORS = ("invalid_input", "unknown_visit", "not_served", "already_rated", "unreachable")


class FaceDrawing(Widget):
    """A face for `rating` 1 (very bad) to 5 (very good), as large as fits."""

    rating = NumericProperty(3)

    def on_kv_post(self, base_widget: object) -> None:
        # Drawn once per frame from the final place and size (a face whose button
        # changes orientation gets several size and position changes in one layout pass).
        redraw = Clock.create_trigger(lambda dt: self._draw())
        self.bind(pos=redraw, size=redraw, rating=redraw)
        self._draw()

    def _draw(self, *args: object) -> None:
        self.canvas.clear()
        size = min(self.width, self.height) * 0.92
        if size <= 0:
            return
        x, y = self.center_x - size / 2, self.center_y - size / 2
        with self.canvas:
            Color(*FACE_COLOURS[int(self.rating)])
            Ellipse(pos=(x, y), size=(size, size))
            Color(*FEATURES)
            Line(ellipse=(x, y, size, size), width=dp(2))
            eye = size * 0.12
            for dx in (0.32, 0.68):
                Ellipse(pos=(x + size * dx - eye / 2, y + size * 0.58), size=(eye, eye))
            # The mouth: corners and a middle that rises for a frown, drops for a smile.
            bend = {1: 0.16, 2: 0.07, 3: 0.0, 4: -0.08, 5: -0.17}[int(self.rating)]
            left, right = x + size * 0.27, x + size * 0.73
            corner_y = y + size * 0.30
            middle_y = corner_y + bend * size * 1.3
            Line(
                bezier=(left, corner_y, (left + right) / 2, middle_y, right, corner_y),
                width=dp(4),
                cap="round",
            )


class FaceButton(Focusable, ButtonBehavior, BoxLayout):
    """One of the five faces with its number and its word; a large touch target."""

    rating = NumericProperty(3)
    text = StringProperty("")
    beside = BooleanProperty(False)
    """The words beside the face (faces in a column) instead of under it."""

    def speech_text(self) -> str:
        return self.text.replace("\n", " ")


class FeedbackScreen(KioskScreen):
    """A feedback terminal screen (its controller is the `FeedbackApp`)."""

    def back(self) -> None:
        """Nothing to go back to."""


class FeedbackIdleScreen(FeedbackScreen):
    """At a counter, between visits: what the terminal is for, in every language."""

    message = StringProperty("")

    def refresh(self, live_only: bool = False) -> None:
        if self.controller is None:
            return
        self.message = "\n\n".join(
            t("feedback.idle", lang) for lang in self.controller.kiosk_config.languages
        )

    def summary(self) -> str:
        return t("feedback.idle", self.controller.language)


class FeedbackEntryScreen(FeedbackScreen):
    """By the exit: type the number on your ticket (letter keys are the service prefixes)."""

    typed = StringProperty("")
    prompt = StringProperty("")
    error = StringProperty("")
    busy = NumericProperty(0)

    def refresh(self, live_only: bool = False) -> None:
        if self.controller is None:
            return
        languages = self.controller.kiosk_config.languages
        self.prompt = "\n".join(t("feedback.entry", lang) for lang in languages)
        self._build_keys()

    def all_languages(self, key: str) -> str:
        """A short text in every offered language, one per line (the visitor's
        language is not known until the visit is found)."""
        if self.controller is None:
            return ""
        return "\n".join(t(key, lang) for lang in self.controller.kiosk_config.languages)

    def _build_keys(self) -> None:
        from kivy.uix.boxlayout import BoxLayout

        from kiosk.widgets import KeyButton

        letters = self.controller.prefix_letters()
        rows = [letters[i : i + 10] for i in range(0, len(letters), 10)] + [ENTRY_KEYS]
        if rows == getattr(self, "_key_rows", None):
            return  # the same keys: never swapped under a finger while the visitor types
        self._key_rows = rows
        box = self.ids.keys_box
        box.clear_widgets()
        for row in rows:
            line = BoxLayout(spacing=dp(8))
            for char in row:
                key = KeyButton(text=char)
                key.bind(on_release=lambda button, c=char: self.type_key(c))
                line.add_widget(key)
            box.add_widget(line)

    def clear(self, error: str = "") -> None:
        """Empty the field (after a lookup or a pause)."""
        self.typed = ""
        self.error = error
        self.busy = 0

    def wants_text(self) -> bool:
        return True

    def type_key(self, char: str) -> bool:
        if self.busy:
            return True
        if char == "\b":
            self.typed = self.typed[:-1]
        elif char in ("\r", "\n"):
            self.submit()
        elif char.isalnum() and len(self.typed) < 8:
            self.typed += char.upper()
        else:
            return False
        self.error = ""
        self.controller.typing()
        return True

    def submit(self) -> None:
        """Look the typed number up."""
        if not self.typed or self.busy:
            return
        self.busy = 1
        self.controller.find_visit(self.typed)

    def failed(self, code: str) -> None:
        """The number did not lead to a visit that can be rated. The number stays, to be
        corrected; the error goes with the next key."""
        lines = self._error_lines(code if code in KNOWN_ERRORS else "other")
        self.error = "\n".join(lines)
        self.busy = 0
        self.controller.speak_text(lines[0])

    def _error_lines(self, code: str) -> list[str]:
        return [
            t(f"feedback.error.{code}", lang) for lang in self.controller.kiosk_config.languages
        ]

    def error_room(self, font_size: float, width: float) -> float:
        """The height the longest error needs at this size and width (kept free when
        there is no error, so nothing below it moves)."""
        if self.controller is None:
            return 0.0
        errors = ["\n".join(self._error_lines(code)) for code in (*KNOWN_ERRORS, "other")]
        return text_room(errors, font_size, width)

    def summary(self) -> str:
        return t("feedback.entry", self.controller.language)


class FeedbackQuestionScreen(FeedbackScreen):
    """ "How was your service?" in the visit's language, five faces, the time left."""

    number = StringProperty("")
    seconds_left = NumericProperty(0)

    def summary(self) -> str:
        lang = self.controller.language
        faces = ", ".join(f"{r}: {t(f'feedback.rating_{r}', lang)}" for r in range(1, 6))
        return f"{t('feedback.question', lang)} {faces}"


class FeedbackThanksScreen(FeedbackScreen):
    """Thank you — the rating is kept."""

    def summary(self) -> str:
        lang = self.controller.language
        return f"{t('feedback.thanks', lang)} {t('feedback.thanks_body', lang)}"
