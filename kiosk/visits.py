"""The visitor session in the kiosk app: begun by the first touch or key, kept going by
every one after it, warned about and dropped whole when the visitor goes idle, and
dropped whole when the visit ends (`kiosk.session` holds what it is)."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from core.data import sound_path
from kiosk.session import VisitorSession
from kiosk.viewmodels import Accessibility, clock_text
from kiosk.widgets import IdleWarning
from terminal.speech import Utterance

log = logging.getLogger(__name__)
ATTENTION_SOUND = sound_path("attention.wav")


class VisitorSessions:
    """Mixed into the kiosk app (which has the clock, screens, speaker and settings)."""

    clock: Any
    session: VisitorSession | None
    kiosk_config: Any
    idle_rules: Any
    catalogue: Any
    manager: Any
    screens: dict[str, Any]
    speaker: Any
    language: str
    centre_name: str
    clock_text: str
    outcome: Any
    _warning: IdleWarning | None
    t: Any
    clear_focus: Any
    _apply_access: Any
    refresh_screens: Any
    finish_visit: Any

    def visitor(self) -> VisitorSession:
        """The visitor's session, begun now if there is none (the first touch or key)."""
        if self.session is None:
            now = self.clock.monotonic()
            self.session = VisitorSession(
                started_at=now, language=self.language, access=self.default_access()
            )
        return self.session

    def default_access(self) -> Accessibility:
        """How every visit starts: the kiosk's own settings."""
        return Accessibility(speech=self.kiosk_config.speech)

    def end_session(self, reason: str) -> None:
        """Forget the visitor whole (visit over, idle, closing time, another server): the
        next one finds the kiosk as it started. Safe to call when there is none."""
        if self.session is not None:
            log.info("visit ended: %s", reason)
        self.session = None
        self.outcome = None
        self._dismiss_warning()
        self.clear_focus()
        self.speaker.forget()
        self._apply_access(self.default_access())
        self.language = self.kiosk_config.languages[0]
        self.centre_name = self.catalogue.centre_name(self.language)
        for screen in self.screens.values():
            screen.reset()
            screen.language = self.language
        self.refresh_screens()

    def _begin(self, intent: Hashable) -> str | None:
        key = self.visitor().begin(intent)
        if key is None:
            log.info("a repeated press for %s was ignored", intent)
        return key

    # -- inactivity and the clock ------------------------------------------------------------

    def user_active(self) -> None:
        """Anything the visitor does begins their session or keeps it going."""
        self.visitor().touch(self.clock.monotonic())
        if self._warning is not None:
            self._dismiss_warning()

    def _nothing_to_lose(self) -> bool:
        """The visitor has chosen nothing: forgetting them needs no warning."""
        session = self.session
        return (
            session is not None
            and self.manager.current in ("start", "unavailable", "closed")
            and session.language == self.kiosk_config.languages[0]
            and session.access == self.default_access()
        )

    def tick(self, dt: float = 0) -> None:
        """Time passes (twice a second, and when a test moves the clock): the clock on
        screen, the end of a visit, the idle warning and reset."""
        self.clock_text = clock_text(self.clock.now(), self.catalogue.centre)
        session = self.session
        if session is None:
            return
        now = self.clock.monotonic()
        if session.ends_at is not None and now >= session.ends_at:
            self.finish_visit()
            return
        if self.manager.current == "ticket":
            session.touch(now)  # the ticket screen ends the visit by itself
            return
        state = session.idle_state(now, self.idle_rules)
        if state == "active":
            return
        if self._nothing_to_lose() or state == "reset":
            self.finish_visit()
        else:
            self._show_warning(now)

    def _show_warning(self, now: float) -> None:
        assert self.session is not None
        seconds = self.session.seconds_left(now, self.idle_rules)
        if self._warning is None:
            warning = IdleWarning(
                title=self.t("idle.title"),
                body=self.t("idle.body", seconds=seconds),
                button_text=self.t("idle.continue"),
            )
            warning.on_continue = self.user_active
            warning.open(animation=False)
            self._warning = warning
            parts: list[Any] = [ATTENTION_SOUND] if ATTENTION_SOUND.exists() else []
            parts.append(
                Utterance(
                    f"{self.t('idle.title')} {self.t('idle.body', seconds=seconds)}", self.language
                )
            )
            # Audible in every mode (the visitor may not be looking), in the visitor's language.
            self.speaker.say(parts)
        else:
            self._warning.body = self.t("idle.body", seconds=seconds)

    def _dismiss_warning(self) -> None:
        if self._warning is not None:
            self._warning.dismiss(animation=False)
            self._warning = None
