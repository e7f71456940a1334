"""Choosing a service: by topic, by life situation, or by searching with the on-screen keyboard."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk import keyboard as _keyboard  # noqa: F401  (registers OnScreenKeyboard for kv)
from kiosk.screens import KioskScreen
from kiosk.viewmodels import (
    ServiceRow,
    categories,
    life_situations,
    search,
    service_rows,
    services_in_category,
    services_in_situation,
)
from kiosk.widgets import BigButton, ServiceButton


class ServicesScreen(KioskScreen):
    """Tabs (topics, life situations, search) and a list of choices or services."""

    mode = StringProperty("ticket")
    """`ticket` (take a ticket) or `info` (read about the service)."""
    view = StringProperty("categories")
    """`categories`, `situations`, `search` or `group` (the services of a topic/situation)."""
    group_title = StringProperty("")
    group_from = StringProperty("categories")
    """The tab a topic or life situation was opened from."""

    def on_kv_post(self, base_widget: object) -> None:
        self._group: list[str] = []
        self._buttons: dict[str, ServiceButton] = {}
        self.ids.search_input.bind(text=lambda _, text: self._search(text))

    def open(self, mode: str) -> None:
        """Start choosing, for a ticket or for information."""
        self.reset(mode)
        self.refresh()

    def reset(self, mode: str = "ticket") -> None:
        """Forget the previous visitor's choices."""
        self.mode = mode
        self.view = "categories"
        self.group_title = ""
        self._group = []
        if "search_input" in self.ids:
            self.ids.search_input.text = ""
            self.ids.keyboard.open()  # the next visitor's alphabet, without shift

    def show_view(self, view: str) -> None:
        """Switch tab."""
        self.view = view
        self.group_title = ""
        self.refresh()
        self.controller.speak_screen()

    def refresh(self, live_only: bool = False) -> None:
        if self.controller is None or "choice_list" not in self.ids:
            return
        if live_only:
            self._update_rows()
            return
        language = self.controller.language
        catalogue = self.controller.catalogue
        box = self.ids.choice_list
        box.clear_widgets()
        self._buttons = {}
        if self.view == "categories":
            for choice in categories(catalogue, language):
                box.add_widget(
                    self._choice_button(choice.name, choice.count, "category", choice.id)
                )
        elif self.view == "situations":
            for choice in life_situations(catalogue, language):
                box.add_widget(
                    self._choice_button(choice.name, choice.count, "situation", choice.id)
                )
        elif self.view == "group":
            self._add_rows(service_rows(catalogue, language, self._group))
        elif self.view == "search":
            found = search(catalogue, self.ids.search_input.text, language)
            if self.ids.search_input.text.strip() and not found:
                button = BigButton(text=self.controller.t("services.no_results"), disabled=True)
                box.add_widget(button)
            rows = service_rows(catalogue, language, found)
            self._add_rows(sorted(rows, key=lambda row: found.index(row.service_id)))

    def _choice_button(self, name: str, count: int, kind: str, choice_id: str) -> BigButton:
        button = BigButton(text=f"{name}  ({count})")
        button.spoken = name
        button.bind(on_release=lambda *_: self.open_group(kind, choice_id, name))
        return button

    def open_group(self, kind: str, choice_id: str, name: str) -> None:
        """Show the services of a topic or life situation."""
        catalogue = self.controller.catalogue
        if kind == "category":
            self._group = services_in_category(catalogue, choice_id)
        else:
            self._group = services_in_situation(catalogue, choice_id)
        self.group_from = self.view
        self.view = "group"
        self.group_title = name
        self.refresh()
        self.controller.speak_screen()

    def _add_rows(self, rows: list[ServiceRow]) -> None:
        for row in rows:
            button = ServiceButton(service_id=row.service_id)
            self._fill(button, row)
            button.bind(on_release=lambda b: self.choose(b.service_id))
            self._buttons[row.service_id] = button
            self.ids.choice_list.add_widget(button)

    def _fill(self, button: ServiceButton, row: ServiceRow) -> None:
        button.hint = row.name
        button.detail = row.detail
        button.reason = row.reason
        button.spoken = row.spoken
        # Information can be read even when no ticket can be taken.
        button.disabled = not row.enabled and self.mode == "ticket"

    def _update_rows(self) -> None:
        """Live queue figures on the buttons already shown (no rebuild, no flicker)."""
        if not self._buttons:
            return
        language = self.controller.language
        for row in service_rows(self.controller.catalogue, language, list(self._buttons)):
            self._fill(self._buttons[row.service_id], row)

    def choose(self, service_id: str) -> None:
        """A service was chosen."""
        if self.mode == "ticket":
            self.controller.choose_service(service_id)
        else:
            self.controller.show_info(service_id)

    def _search(self, text: str) -> None:
        if self.view == "search":
            self.refresh()

    def wants_text(self) -> bool:
        return self.view == "search"

    def type_key(self, char: str) -> bool:
        if self.view != "search" or char == "\r":
            return False
        field = self.ids.search_input
        if char == "\b":
            field.text = field.text[:-1]
        else:
            field.text += char
        return True

    def back(self) -> None:
        if self.view == "group":
            self.view = self.group_from
            self.group_title = ""
            self.refresh()
            self.controller.speak_screen()
        else:
            self.controller.home()

    def summary(self) -> str:
        title = self.ids.title_label.text
        if self.view == "group":
            return f"{title}. {self.group_title}"
        if self.view == "search":
            return f"{title}. {self.controller.t('services.search_hint')}"
        return f"{title}. {self.ids[self._tab_id()].label}"

    def _tab_id(self) -> str:
        return {"categories": "category_tab_button", "situations": "situation_tab_button"}.get(
            self.view, "search_tab_button"
        )
