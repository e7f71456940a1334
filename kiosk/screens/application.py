"""Lodging an application and checking its status, one step at a time.

`kiosk.application_form.ApplicationForm` decides the steps and checks the
fields; this screen only shows them: the field being filled with the on-screen
keyboard (digits and symbols where the field needs them, opened in Latin for
fields that take only Latin), whether it is needed and why, the choices of a
choice field, the consent text, the review, and the result.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty

from core.applications import Need
from core.i18n import format_date, messages, t
from core.wire.payloads import ApplicationStatusView, ApplicationTypeView, LodgedView
from kiosk import keyboard as _keyboard  # noqa: F401  (registers OnScreenKeyboard for kv)
from kiosk.application_form import CONSENT, REVIEW, ApplicationForm
from kiosk.screens import KioskScreen
from kiosk.viewmodels import centre_date, text_in
from kiosk.widgets import BigButton, ChoiceButton, text_room

LETTERS_ONLY = {"name"}
"""Fields whose keyboard has no digit and symbol rows (all others have: house numbers,
postcodes, codes, e-mail addresses)."""
LATIN_KINDS = {"personal_code", "phone", "email", "lookup"}
"""Fields that take only Latin letters and digits: the keyboard opens in Latin."""
CAPITALS = {"name": "words", "address": "sentences", "text": "sentences"}
"""How the keyboard capitalises each field (by field name; others: never)."""
ERROR_MODES = ("field", "choice", "consent", "lookup_number", "lookup_secret")
"""Steps that can show an error line: room for the longest is kept on them."""
LOOKUP_ERRORS = ("lookup.not_found", "lookup.too_many", "unavailable.body")


def shown_date(day: date, language: str) -> str:
    """A date from the server as the receipt prints it (`core.i18n.format_date`)."""
    return format_date(day, language)


class ApplicationScreen(KioskScreen):
    """Modes: types, field, choice, consent, review, sending, done, queued, failed,
    lookup_number, lookup_secret, lookup_result."""

    mode = StringProperty("types")
    title = StringProperty("")
    step_text = StringProperty("")
    prompt = StringProperty("")
    error = StringProperty("")
    next_text = StringProperty("")
    typing = BooleanProperty(False)
    multiline = BooleanProperty(False)
    need_text = StringProperty("")
    """Why the field is needed (or that it may stay empty), shown before it is filled."""
    digits = BooleanProperty(False)
    latin_only = BooleanProperty(False)
    capitals = StringProperty("none")
    can_go_back = BooleanProperty(True)

    def on_kv_post(self, base_widget: object) -> None:
        self.form: ApplicationForm | None = None
        self.lookup: dict[str, str] = {"number": "", "secret": ""}
        self.result: Any = None
        """The lodging outcome (a dict of what to show) or the looked-up status."""
        self._filling = False

    # -- entry points ------------------------------------------------------------------

    def start_lodging(self) -> None:
        self.form = None
        self.result = None
        self.mode = "types"
        self.refresh()

    def start_lookup(self) -> None:
        self.form = None
        self.lookup = {"number": "", "secret": ""}
        self.result = None
        self.mode = "lookup_number"
        self.refresh()

    def reset(self) -> None:
        self.form = None
        self.result = None
        self.lookup = {"number": "", "secret": ""}
        self.mode = "types"
        self.error = ""
        self.typing = False
        self._filling = True
        self.ids.field_input.text = ""  # nothing the last visitor typed stays behind
        self._filling = False

    # -- drawing -------------------------------------------------------------------------

    def t(self, key: str, **values: Any) -> str:
        return self.controller.t(key, **values)

    def refresh(self, live_only: bool = False) -> None:
        if self.controller is None or "content" not in self.ids or live_only:
            return
        language = self.controller.language
        box = self.ids.content
        box.clear_widgets()
        self.error = ""
        self.step_text = ""
        self.prompt = ""
        self.need_text = ""
        self.next_text = ""
        self.typing = False
        self.can_go_back = self.mode not in ("sending", "done", "queued")
        form = self.form
        if self.mode.startswith("lookup"):
            self._draw_lookup(box)
            return
        if form is None or self.mode == "types":
            self.title = self.t("start.lodge")
            self.prompt = self.t("apply.choose_type")
            for info in self.controller.backend.application_types:
                name = text_in(info.name, language)
                hint = text_in(info.description, language)
                button = BigButton(text=f"{name}\n{hint}" if hint else name, halign="left")
                button.spoken = name
                button.bind(on_release=lambda _, info=info: self.choose_type(info))
                box.add_widget(button)
            return
        self.title = text_in(form.info.name, language)
        if self.mode in ("done", "queued", "failed", "sending"):
            self._draw_result(box)
            return
        name = form.current
        self.step_text = self.t("apply.step", step=form.step + 1, total=len(form.steps))
        self.error = self._error_text(form.errors.get(name, ""))
        if name == CONSENT:
            self.mode = "consent"
            self.prompt = self.t("apply.consent_title")
            box.add_widget(self._text(self.t("apply.consent_text")))
            self.next_text = self.t("apply.consent_agree")
        elif name == REVIEW:
            self.mode = "review"
            self.prompt = self.t("apply.review_title")
            for field_name in form.fields:
                info = form.field_info[field_name]
                shown = self._shown_value(field_name, form.value(field_name))
                button = BigButton(
                    text=f"{text_in(info.label, language)}: {shown or '—'}   ✎",
                    halign="left",
                )
                button.bind(on_release=lambda _, n=field_name: self.change(n))
                box.add_widget(button)
            self.next_text = self.t("apply.submit")
        else:
            info = form.field_info[name]
            self._show_need(text_in(info.label, language), name, form.need(name))
            if info.kind == "choice":
                self.mode = "choice"
                for choice in info.choices:
                    chosen = form.value(name) == choice
                    button = ChoiceButton(label=self.t(f"apply.delivery.{choice}"), selected=chosen)
                    button.spoken = self.t(f"apply.delivery.{choice}")
                    if chosen:
                        button.spoken += f". {self.t('apply.chosen')}"
                    button.bind(on_release=lambda _, c=choice: self.pick(c))
                    box.add_widget(button)
            else:
                self.mode = "field"
                self._show_input(form.value(name), info.kind, name)
            self.next_text = self.t("apply.next")

    def _show_need(self, label: str, name: str, need: Need) -> None:
        """The prompt says whether the field is needed, and why when that depends on
        earlier answers (the rule is `core.applications.field_need`)."""
        marker = "apply.required" if need.is_required else "apply.optional"
        self.prompt = f"{label} {self.t(marker)}"
        if need is Need.FOR_DELIVERY:
            self.need_text = self.t(f"apply.need.for_delivery.{name}")
        elif need is Need.CONTACT:
            self.need_text = self.t(f"apply.need.contact.{name}")
        elif need is Need.ONE_CONTACT:
            self.need_text = self.t("apply.need.one_contact")

    def _draw_lookup(self, box: Any) -> None:
        self.title = self.t("lookup.title")
        if self.mode == "lookup_result":
            found: ApplicationStatusView = self.result
            language = self.controller.language
            box.add_widget(self._text(found.registration_number))
            box.add_widget(
                self._text(
                    self.t(
                        "lookup.result",
                        type=text_in(found.type_name, language),
                        status=self.t(f"app_status.{found.status}"),
                        deadline=shown_date(found.answer_deadline, language),
                    )
                )
            )
            self.next_text = self.t("nav.home")
            return
        key = "number" if self.mode == "lookup_number" else "secret"
        self.prompt = self.t(f"lookup.{key}")
        self._show_input(self.lookup[key], "lookup", key)
        self.next_text = self.t("apply.next") if key == "number" else self.t("lookup.check")
        self.error = self._lookup_error

    _lookup_error = ""

    def _draw_result(self, box: Any) -> None:
        if self.mode == "sending":
            self.prompt = self.t("apply.sending")
            return
        outcome = self.result or {}
        if self.mode == "done":
            lodged: LodgedView = outcome["result"]
            self.prompt = self.t("apply.done_title")
            box.add_widget(
                self._text(
                    self.t(
                        "apply.done_body",
                        number=lodged.registration_number,
                        secret=lodged.secret,
                        deadline=shown_date(lodged.answer_deadline, self.controller.language),
                    ),
                    big=True,
                )
            )
            key = "apply.receipt_printed" if outcome["printed"] else "apply.receipt_failed"
            box.add_widget(self._text(self.t(key)))
        elif self.mode == "queued":
            self.prompt = self.t("apply.queued_title")
            box.add_widget(self._text(self.t("apply.queued_body", reference=outcome["reference"])))
        else:
            self.prompt = self.t("apply.failed", reason=outcome.get("message", ""))
        self.next_text = self.t("nav.home")

    def _show_input(self, value: str, kind: str, name: str) -> None:
        self.typing = True
        self.multiline = kind == "long_text"
        self.digits = name not in LETTERS_ONLY
        self.latin_only = kind in LATIN_KINDS
        self.capitals = CAPITALS.get(name, "none") if kind != "lookup" else "none"
        self._filling = True
        self.ids.field_input.text = value
        self._filling = False
        self.ids.keyboard.open()  # each field starts in its own script, without shift

    def _text(self, text: str, big: bool = False) -> Any:
        from kivy.factory import Factory

        label = Factory.KioskText(text=text)
        if big:
            label.bold = True
            label.font_size = label.font_size * 1.3
        return label

    def _shown_value(self, name: str, value: str) -> str:
        if name == "delivery" and value:
            return self.t(f"apply.delivery.{value}")
        return value

    def error_height(
        self,
        error: str,
        text_height: float,
        font_size: float,
        width: float,
        mode: str,
        language: str,
    ) -> float:
        """The error line's height: on a step that can show an error, the room the
        longest error there needs whether or not one shows, so that the field's keyboard
        and the choices below never move under the visitor's finger as an error comes
        or goes; elsewhere only what the text (if any) needs."""
        room = 0.0
        if mode in ERROR_MODES and self.controller is not None:
            if mode.startswith("lookup"):
                errors = [t(key, language) for key in LOOKUP_ERRORS]
            else:
                errors = list(messages(("field_error.",), language).values())
            room = text_room(errors, font_size, width, bold=True)
        shown = max(text_height, room) if (error or room) else 0.0
        return shown + dp(8) if shown else 0.0

    def _error_text(self, code: str) -> str:
        return self.t(f"field_error.{code}") if code else ""

    # -- actions ---------------------------------------------------------------------------

    def choose_type(self, info: ApplicationTypeView) -> None:
        today = centre_date(self.controller.clock.now(), self.controller.catalogue.centre)
        self.form = ApplicationForm(info, today=today)
        self.mode = "field"
        self.refresh()
        self.controller.speak_screen()

    def typed(self, text: str) -> None:
        if self._filling:
            return
        if self.form is not None and self.mode == "field":
            self.form.set_value(self.form.current, text)
            self.error = ""
        elif self.mode in ("lookup_number", "lookup_secret"):
            self.lookup["number" if self.mode == "lookup_number" else "secret"] = text

    def wants_text(self) -> bool:
        return self.typing

    def type_key(self, char: str) -> bool:
        if not self.typing or char == "\r":
            return False
        field = self.ids.field_input
        field.text = field.text[:-1] if char == "\b" else field.text + char
        return True

    def pick(self, choice: str) -> None:
        assert self.form is not None
        self.form.set_value(self.form.current, choice)
        self.next()

    def change(self, name: str) -> None:
        assert self.form is not None
        self.form.go_to(name)
        self.refresh()

    def next(self) -> None:
        if self.mode in ("done", "queued", "failed", "lookup_result"):
            self.controller.finish_visit()
            return
        if self.mode == "lookup_number":
            self.mode = "lookup_secret"
            self._lookup_error = ""
            self.refresh()
            return
        if self.mode == "lookup_secret":
            self.controller.backend.look_up_application(
                self.lookup["number"], self.lookup["secret"], self._looked_up
            )
            return
        form = self.form
        if form is None:
            return
        if form.current == CONSENT:
            form.consent = True
        if form.current == REVIEW and form.next():
            self.mode = "sending"
            self.refresh()
            self.controller.lodge_application(form)
            return
        form.next()
        self.refresh()
        if self.error:
            self.controller.speak_text(f"{self.prompt}. {self.error}")
        else:
            self.controller.speak_screen()

    def lodged(self, outcome: Any) -> None:
        """The backend's answer (on the main thread)."""
        form = self.form
        if outcome.result is not None:
            self.result = {"result": outcome.result, "printed": outcome.printed}
            self.mode = "done"
        elif outcome.queued_reference:
            self.result = {"reference": outcome.queued_reference}
            self.mode = "queued"
        elif outcome.field_errors and form is not None:
            form.show_problems(outcome.field_errors)
            self.mode = "field"
        else:
            self.result = {"message": outcome.error_message}
            self.mode = "failed"
        self.refresh()
        self.controller.speak_screen()

    def _looked_up(self, result: ApplicationStatusView | None, code: str) -> None:
        if result is not None:
            self.result = result
            self.mode = "lookup_result"
        else:
            key = "lookup.too_many" if code == "too_many_attempts" else "lookup.not_found"
            if code == "unreachable":
                key = "unavailable.body"
            self._lookup_error = self.t(key)
            self.mode = "lookup_secret"
        self.refresh()
        self.controller.speak_screen()

    def back(self) -> None:
        if self.mode == "lookup_secret":
            self.mode = "lookup_number"
            self.refresh()
            return
        if self.form is not None and self.mode in ("field", "choice", "consent", "review"):
            if self.form.back():
                self.refresh()
                return
            self.form = None
            self.mode = "types"
            self.refresh()
            return
        if self.mode in ("sending",):
            return
        self.controller.finish_visit() if self.mode != "types" else self.controller.home()

    def summary(self) -> str:
        return self.texts("title_label", "step_label", "prompt_label", "need_label", "error_label")
