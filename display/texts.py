"""What the board says, in one language at a time (pure: no Kivy, no clock reads).

The board turns through its languages (`display.rotation`); every text here is
for the language shown at that moment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from core.i18n import format_wait, format_wait_range, lookup, range_minutes, t
from display.board import BoardState, Call, CounterPlace, ServiceLine
from display.view import BoardView, CallView, ServiceView


def local(names: Mapping[str, str], language: str) -> str:
    """A name in `language`, else in Latvian, else in any language given."""
    return names.get(language) or names.get("lv") or next(iter(names.values()), "")


def where_texts(place: CounterPlace | None, language: str) -> tuple[str, str]:
    """Where to go: the counter's name (`4. kabinets`; "" if it has none) and where in the
    building it is (`2. stāvs`; "" if the catalogue does not say)."""
    if place is None:
        return "", ""
    return local(place.name, language), local(place.area, language)


def wait_text(line: ServiceLine, language: str) -> str:
    """The wait for a new ticket, truthfully: why none can be taken now, that no counter
    serves the service now, or the estimate: the range the server told (`6–12 min`), else
    the single figure (`~8 min`, `bez gaidīšanas`)."""
    if line.unavailable_reason:
        key = f"reason.{line.unavailable_reason}"
        try:
            lookup(key)
        except KeyError:
            return t("reason.service_closed", language)
        return t(key, language)
    if line.estimate_seconds is None:
        return t("board.nobody_serving", language)
    told_range = range_minutes(line.estimate_range_seconds)
    if told_range is not None:
        return format_wait_range(*told_range, language)
    return format_wait(line.estimate_seconds, language)


def figures_text(line: ServiceLine, language: str, *, is_open: bool = True) -> str:
    """`3 rindā · ~8 min`; after closing only `3 rindā` (no ticket can be taken, so there
    is no wait to promise a newcomer)."""
    waiting = t("board.in_queue", language, count=line.waiting)
    return f"{waiting} · {wait_text(line, language)}" if is_open else waiting


def opens_text(opens_at: datetime | None, zone: tzinfo | None) -> str:
    """When the centre opens again, as the board writes it (`24.11. 08:30`, the day and
    the time held together by a no-break space), or ""."""
    if opens_at is None:
        return ""
    return opens_at.astimezone(zone or ZoneInfo("Europe/Riga")).strftime("%d.%m.\u00a0%H:%M")


def closed_text(opens: str, language: str, *, still_serving: bool) -> str:
    """`Slēgts — atvērsies 24.11. 08:30`; while the last visitors are still being called:
    `Jaunus apmeklētājus šodien vairs nepieņem — atvērsies …`."""
    key = "board.closed_serving" if still_serving else "closed"
    if opens:
        return t(f"{key}.opens_at", language, when=opens)
    return t(key, language)


def date_text(local_now: datetime, language: str) -> str:
    """`Pirmdiena, 23.11.2026`."""
    return f"{t(f'day.{local_now.weekday()}', language)}, {local_now.strftime('%d.%m.%Y')}"


def call_view(call: Call, board: BoardState, language: str) -> CallView:
    """A call with where its counter is, in `language`."""
    name, area = where_texts(board.counter_places.get(call.counter_id), language)
    return CallView(
        call.number, call.counter_label, "" if name == call.counter_label else name, area
    )


def board_view(
    board: BoardState,
    *,
    language: str,
    languages: Sequence[str],
    local_now: datetime,
    connected: bool,
    page_slot: int,
    recent_limit: int,
) -> BoardView:
    """Everything the board says now, in `language` (`languages`: all it turns through).

    `local_now` is the centre's local time (for the clock, the date and when it opens).
    """
    still_called = bool(board.current)
    still_waiting = any(line.waiting for line in board.services)
    services = board.services
    closed = ""
    if not board.is_open:
        opens = opens_text(board.opens_at, local_now.tzinfo)
        closed = closed_text(opens, language, still_serving=still_called or still_waiting)
        # Closed: no new tickets; only the people still waiting need their figures.
        services = tuple(line for line in services if line.waiting)

    def service_views(lang: str) -> tuple[ServiceView, ...]:
        return tuple(
            ServiceView(
                local(dict(line.name), lang), figures_text(line, lang, is_open=board.is_open)
            )
            for line in services
        )

    def headings(lang: str) -> list[str]:
        texts = [t(key, lang) for key in ("board.now_calling", "board.recent", "board.waits")]
        if closed:
            opens = opens_text(board.opens_at, local_now.tzinfo)
            texts.append(closed_text(opens, lang, still_serving=True))
        return texts

    return BoardView(
        date=date_text(local_now, language),
        clock=local_now.strftime("%H:%M"),
        centre=local(dict(board.centre_name), language),
        now_calling=t("board.now_calling", language),
        recent_heading=t("board.recent", language),
        waits_heading=t("board.waits", language),
        no_calls=t("board.no_calls", language),
        current=tuple(call_view(call, board, language) for call in board.current),
        recent=tuple(call_view(call, board, language) for call in board.recent[:recent_limit]),
        services=service_views(language),
        services_by_language=tuple(service_views(lang) for lang in languages),
        headings_by_language=tuple(text for lang in languages for text in headings(lang)),
        closed=closed,
        hall_empty=not board.is_open and not still_called and not still_waiting,
        offline="" if connected else "● " + t("board.offline", language),
        ticker=board.ticker,
        page_slot=page_slot,
    )
