"""Kiosk widgets: large buttons that can take keypad focus, the on-screen keyboard
and the inactivity warning. Styles are in widgets.kv (the accessibility bar is part of
the screen frame, `kiosk.screens.frame`)."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

LATVIAN_KEYS = (
    "ĀČĒĢĪĶĻŅŠŪŽ",
    "QWERTYUIOP",
    "ASDFGHJKL",
    "ZXCVBNM-",
)
RUSSIAN_KEYS = (
    "ЙЦУКЕНГШЩЗХ",
    "ФЫВАПРОЛДЖЭ",
    "ЯЧСМИТЬБЮЁЪ",
)
ENGLISH_KEYS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM-")
KEYBOARDS = {"lv": LATVIAN_KEYS, "ru": RUSSIAN_KEYS, "en": ENGLISH_KEYS}
DIGIT_ROW = "1234567890"
SYMBOL_ROW = "@.,+/-_()"


def with_capitals(current: str, char: str, capitals: str) -> str:
    """The letter as the keyboard types it: capital at the start of a word (`words`),
    of a sentence (`sentences`), or never (`none`, e.g. for search)."""
    if not char.isalpha():
        return char
    if capitals == "words" and (not current or current[-1] in " -"):
        return char.upper()
    stripped = current.rstrip(" ")
    if capitals == "sentences" and (not stripped or stripped[-1] in ".!?\n"):
        return char.upper()
    return char.lower()


class Focusable:
    """A widget the keypad can move to. `spoken` is what speech mode reads for it."""

    focused = BooleanProperty(False)
    spoken = StringProperty("")

    def speech_text(self) -> str:
        """What to say when focused."""
        return self.spoken or getattr(self, "text", "")


class BigButton(Focusable, Button):
    """A large touch target (at least 90 px high) with a focus ring."""

    hint = StringProperty("")


class ServiceButton(BigButton):
    """A service: name, queue figures, and the reason when it cannot be chosen."""

    service_id = StringProperty("")
    detail = StringProperty("")
    reason = StringProperty("")


class ToggleBigButton(BigButton):
    """An accessibility switch: shows on/off in words, not only by colour."""

    active = BooleanProperty(False)
    label = StringProperty("")


class KeyButton(Focusable, Button):
    """A key of the on-screen keyboard."""


class OnScreenKeyboard(BoxLayout):
    """Letters of the visitor's language as large buttons, a wide space bar, delete and
    clear. No gestures, no shift (text is matched without regard to case)."""

    language = StringProperty("lv")
    target = ObjectProperty(None, allownone=True)
    digits = BooleanProperty(False)
    """Also a row of digits and one of symbols (forms: codes, phones, e-mail)."""
    capitals = StringProperty("none")
    """`none`, `words` or `sentences` (see `with_capitals`)."""

    def on_kv_post(self, base_widget: object) -> None:
        self.bind(language=lambda *_: self.rebuild(), digits=lambda *_: self.rebuild())
        self.rebuild()

    def rebuild(self) -> None:
        """Lay out the keys for the current language."""
        from kivy.factory import Factory

        self.clear_widgets()
        rows = KEYBOARDS.get(self.language, ENGLISH_KEYS)
        if self.digits:
            rows = (DIGIT_ROW, *rows, SYMBOL_ROW)
        width = max(len(row) for row in rows)
        for row in rows:
            line = Factory.KeyRow()
            for char in row:
                line.add_widget(self._key(char, char))
            for _ in range(width - len(row)):
                line.add_widget(Label())
            self.add_widget(line)
        bottom = Factory.KeyRow()
        space = self._key("␣", " ", "space")
        space.size_hint_x = 6
        bottom.add_widget(space)
        bottom.add_widget(self._key("⌫", "\b", "delete", weight=2))
        bottom.add_widget(self._key("✕", "\x1b", "clear", weight=2))
        self.add_widget(bottom)

    def _key(self, face: str, value: str, spoken: str = "", weight: float = 1) -> KeyButton:
        key = KeyButton(text=face, size_hint_x=weight)
        key.spoken = spoken or face.lower()
        key.bind(on_release=lambda *_: self.type(value))
        return key

    def type(self, value: str) -> None:
        """Send one key to the target text field."""
        if self.target is None:
            return
        if value == "\b":
            self.target.text = self.target.text[:-1]
        elif value == "\x1b":
            self.target.text = ""
        else:
            self.target.text += with_capitals(self.target.text, value, self.capitals)


class IdleWarning(ModalView):
    """Are you still there? — with a countdown and a button to continue."""

    title = StringProperty("")
    body = StringProperty("")
    button_text = StringProperty("")
    on_continue = ObjectProperty(None, allownone=True)
