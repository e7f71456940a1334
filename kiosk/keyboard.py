"""The on-screen keyboard: large keys, no gestures, two scripts.

Every keyboard has Latin letters with the Latvian ones (Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž)
and Cyrillic, one labelled tap apart, whatever the visitor's language: a
Russian speaker may need to type an e-mail address or "Rīgas iela", an
English speaker a Latvian name. It opens in the script of the visitor's
language, or in Latin for fields that take only Latin (`latin_only`: e-mail,
codes). Letters are capitalised as the field expects (`capitals`); the shift
key changes the case of the next letter, and the keys always show the case
they will type. The layout is in `widgets.kv`.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from core.i18n import t
from kiosk.widgets import KeyButton

LATIN = "latin"
CYRILLIC = "cyrillic"
LETTER_ROWS = {
    LATIN: ("ĀČĒĢĪĶĻŅŠŪŽ", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"),
    CYRILLIC: ("ЙЦУКЕНГШЩЗХ", "ФЫВАПРОЛДЖЭ", "ЯЧСМИТЬБЮЁЪ"),
}
SCRIPT_OF_LANGUAGE = {"lv": LATIN, "en": LATIN, "ru": CYRILLIC}
SWITCH_FACE = {LATIN: "АБВ", CYRILLIC: "ABC"}
"""The switch key shows the letters it switches to."""
DIGIT_ROW = "1234567890"
SYMBOL_ROW = "@.,+/_()'"
KEY_ROWS = 1 + max(len(rows) for rows in LETTER_ROWS.values())
"""Rows without digits (letters and the bottom row): the same for every script, so the
keyboard keeps its size and the switch key its place when the script changes."""
SHIFT, SWITCH, SPACE, DELETE, CLEAR = "shift", "switch", " ", "\b", "\x1b"


def with_capitals(current: str, char: str, capitals: str) -> str:
    """The letter as the keyboard types it: capital at the start of a word (`words`),
    of a sentence (`sentences`), or never (`none`, e.g. for search and e-mail)."""
    if not char.isalpha():
        return char
    if capitals == "words" and (not current or current[-1] in " -"):
        return char.upper()
    stripped = current.rstrip(" ")
    if capitals == "sentences" and (not stripped or stripped[-1] in ".!?\n"):
        return char.upper()
    return char.lower()


def script_for(language: str, latin_only: bool = False) -> str:
    """The script a keyboard opens in."""
    return LATIN if latin_only else SCRIPT_OF_LANGUAGE.get(language, LATIN)


class OnScreenKeyboard(BoxLayout):
    """Letters as large buttons, a script switch, shift, a wide space bar, delete and
    clear; digits and symbols too when `digits` (forms: codes, phones, e-mail)."""

    language = StringProperty("lv")
    """The visitor's language (the script it opens in, the words it speaks)."""
    target = ObjectProperty(None, allownone=True)
    digits = BooleanProperty(False)
    latin_only = BooleanProperty(False)
    """The field takes only Latin letters (e-mail, codes): open in Latin."""
    capitals = StringProperty("none")
    """`none`, `words` or `sentences` (see `with_capitals`)."""
    script = StringProperty(LATIN)
    shift = BooleanProperty(False)
    """The next letter's case is changed (one letter only)."""
    row_count = NumericProperty(KEY_ROWS)
    key_height = NumericProperty(84)
    full_height = NumericProperty(0)
    """The keyboard's height when shown (kv: rows x key height)."""

    def on_kv_post(self, base_widget: object) -> None:
        self._letters: list[KeyButton] = []
        self._switch: KeyButton | None = None
        self._shift_key: KeyButton | None = None
        self._watched: Any = None
        self._built_for: tuple[str, bool, str] | None = None
        """(script, digits, language) of the keys there are: opening again for the same
        rebuilds nothing (every visit's reset and every form step opens the keyboard)."""
        self.bind(
            language=lambda *_: self.open(),
            latin_only=lambda *_: self.open(),
            digits=lambda *_: self.rebuild(),
            script=lambda *_: self.rebuild(),
            shift=lambda *_: self._show_case(),
            capitals=lambda *_: self._show_case(),
            target=lambda *_: self._watch_target(),
        )
        self._watch_target()
        self.open()

    def open(self) -> None:
        """Start in the script of the visitor's language (Latin for Latin-only fields)."""
        self.shift = False
        script = script_for(self.language, self.latin_only)
        if script != self.script:
            self.script = script  # rebuilds
        elif self._built_for != (self.script, self.digits, self.language):
            self.rebuild()  # the spoken names of the keys are in the language

    def switch_script(self) -> None:
        """Latin <-> Cyrillic (one tap)."""
        self.script = CYRILLIC if self.script == LATIN else LATIN

    def rebuild(self) -> None:
        """Lay out the keys for the current script."""
        from kivy.factory import Factory

        self.clear_widgets()
        self._letters = []
        self._built_for = (self.script, self.digits, self.language)
        rows: tuple[str, ...] = LETTER_ROWS[self.script]
        if self.digits:
            rows = (DIGIT_ROW, *rows, SYMBOL_ROW)
        self.row_count = KEY_ROWS + (2 if self.digits else 0)
        width = max(len(row) for row in rows)
        for row in rows:
            line = Factory.KeyRow()
            for char in row:
                key = self._key(char, char)
                if char.isalpha():
                    self._letters.append(key)
                line.add_widget(key)
            for _ in range(width - len(row)):
                line.add_widget(Widget())
            self.add_widget(line)
        bottom = Factory.KeyRow()
        other = CYRILLIC if self.script == LATIN else LATIN
        self._switch = self._key(
            SWITCH_FACE[self.script], SWITCH, t(f"keyboard.to_{other}", self.language), 2
        )
        bottom.add_widget(self._switch)
        self._shift_key = self._key("⇧", SHIFT, t("keyboard.shift", self.language), 1.5)
        bottom.add_widget(self._shift_key)
        bottom.add_widget(self._key("␣", SPACE, t("keyboard.space", self.language), 5))
        bottom.add_widget(self._key("-", "-", "-"))
        bottom.add_widget(self._key("⌫", DELETE, t("keyboard.delete", self.language), 2))
        bottom.add_widget(self._key("✕", CLEAR, t("keyboard.clear", self.language), 1.5))
        self.add_widget(bottom)
        self._show_case()

    def _key(self, face: str, value: str, spoken: str = "", weight: float = 1) -> KeyButton:
        key = KeyButton(text=face, size_hint_x=weight)
        key.spoken = spoken or face.lower()
        key.bind(on_release=lambda *_: self.type(value))
        return key

    def _watch_target(self) -> None:
        if self._watched is not None:
            self._watched.unbind(text=self._on_target_text)
        self._watched = self.target
        if self.target is not None:
            self.target.bind(text=self._on_target_text)
        self._show_case()

    def _on_target_text(self, *args: object) -> None:
        self._show_case()

    def next_is_capital(self) -> bool:
        """Whether a letter key would type a capital now."""
        current = self.target.text if self.target is not None else ""
        automatic = with_capitals(current, "a", self.capitals) == "A"
        return automatic != self.shift

    def _show_case(self) -> None:
        """The keys show the case they will type."""
        upper = self.next_is_capital()
        for key in getattr(self, "_letters", ()):
            key.text = key.text.upper() if upper else key.text.lower()
            key.spoken = key.text
        shift_key = getattr(self, "_shift_key", None)
        if shift_key is not None:
            shift_key.selected = self.shift

    def type(self, value: str) -> None:
        """One key of the keyboard: a character, or delete, clear, shift, switch."""
        if value == SWITCH:
            self.switch_script()
            return
        if value == SHIFT:
            self.shift = not self.shift
            return
        if self.target is None:
            return
        if value == DELETE:
            self.target.text = self.target.text[:-1]
        elif value == CLEAR:
            self.target.text = ""
        elif value.isalpha():
            upper = self.next_is_capital()
            self.shift = False
            self.target.text += value.upper() if upper else value.lower()
        else:
            self.target.text += value
