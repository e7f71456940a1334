"""The quarterly monitoring report of the network: figures for the quarter against the
previous one, per municipality, per centre and per service, with charts.

Every figure comes from `hub.figures` (the rollups, read once per period and grouped
several ways) and so means what it means in a centre's own report; the charts are
the centre report's (`server.charts`), and so are its period rules (`core.days`) and
its table cells (`server/web/templates/report_parts.html`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request

from core.days import check_period, parse_day
from core.errors import InvalidInput
from core.i18n import t
from hub import figures, live
from hub.accounts import HubPrincipal
from hub.api.deps import context
from hub.store import rollups
from server import charts
from server.web.render import page_language
from server.web.reports import default_period

QUARTER = re.compile(r"\A([0-9]{4})-Q([1-4])\Z")
SERVICE_LEVEL_TARGET = 80
"""The line drawn on the trend chart, in percent (as on a centre's report)."""


@dataclass(frozen=True)
class Period:
    """A report period (local days, inclusive) and its name."""

    start: date
    end: date
    name: str


def quarter_of(day: date) -> Period:
    """The calendar quarter `day` is in."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    after = date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    return Period(start, after - timedelta(days=1), f"{day.year}-Q{(first_month - 1) // 3 + 1}")


def to_date(period: Period, today: date) -> Period:
    """A quarter still running is reported up to today (and compared with as many days
    of the quarter before: a quarter half gone is not half as busy)."""
    if period.start <= today < period.end:
        return Period(period.start, today, period.name)
    return period


def chosen_period(quarter: str, start_text: str, end_text: str, today: date) -> Period:
    """`quarter` (`2026-Q3`) if given, else `from`/`to`, else the current quarter (a
    quarter up to today while it runs)."""
    if quarter:
        match = QUARTER.match(quarter)
        if not match:
            raise InvalidInput("Name a quarter as 2026-Q3.", {"quarter": "invalid_format"})
        year, number = int(match[1]), int(match[2])
        first = parse_day(f"{year:04d}-{number * 3 - 2:02d}-01", "quarter")
        return to_date(quarter_of(first), today)
    if start_text or end_text:
        start = parse_day(start_text, "from") if start_text else default_period(today)[0]
        end = parse_day(end_text, "to") if end_text else start + timedelta(days=91)
        check_period(start, end)
        return Period(start, end, f"{start.isoformat()} – {end.isoformat()}")
    return to_date(quarter_of(today), today)


def is_quarter(period: Period) -> bool:
    """Whether the period is a calendar quarter (or one up to a day inside it)."""
    return quarter_of(period.start).name == period.name


def previous_period(period: Period) -> Period:
    """The quarter before a quarter (as many of its first days, for a quarter still
    running); otherwise as many days just before."""
    length = period.end - period.start
    if is_quarter(period):
        before = quarter_of(period.start - timedelta(days=1))
        if period.end == quarter_of(period.start).end:
            return before
        return Period(before.start, min(before.end, before.start + length), before.name)
    end = period.start - timedelta(days=1)
    start = end - length
    return Period(start, end, f"{start.isoformat()} – {end.isoformat()}")


def _months(start: date, end: date) -> list[str]:
    """The names of the months from `start`'s to `end`'s (`2026-07` ...)."""
    names, month = [], start.replace(day=1)
    while month <= end:
        names.append(f"{month.year}-{month.month:02d}")
        month = (month + timedelta(days=32)).replace(day=1)
    return names


def _change(now: dict[str, Any] | None, before: rollups.Counts | None) -> dict[str, Any]:
    """Visits in percent and service level in points, against the previous period."""
    if not now or not before:
        return {"visits": None, "service_level": None}
    visits_now = now["issued"] + now["walk_direct"]
    visits_before = before.visits
    level_now, level_before = now["service_level"], before.service_level
    return {
        "visits": round((visits_now - visits_before) / visits_before * 100, 1)
        if visits_before
        else None,
        "service_level": round((level_now - level_before) * 100, 1)
        if level_now is not None and level_before is not None
        else None,
    }


def _rows(
    groups: dict[str, dict[str, Any]],
    previous: dict[str, rollups.Counts],
    names: dict[str, str],
) -> list[dict[str, Any]]:
    return [
        {
            "id": key,
            "name": names.get(key, key),
            "figures": value,
            "change": _change(value, previous.get(key)),
        }
        for key, value in groups.items()
    ]


def build_report(
    request: Request,
    principal: HubPrincipal,
    quarter: str,
    start_text: str,
    end_text: str,
    municipality: str | None,
) -> dict[str, Any]:
    """Figures, tables and SVG charts of the report page."""
    ctx = context(request)
    language = page_language(request)
    today = ctx.clock.now().astimezone(ZoneInfo(ctx.config.timezone)).date()
    period = chosen_period(quarter, start_text, end_text, today)
    before = previous_period(period)
    with ctx.pool.connection() as conn:
        shown = [
            c
            for c in live.centres(conn, municipality=municipality)
            if principal.sees(c.municipality)
        ]
        ids = tuple(c.id for c in shown)
        current_rows = figures.read(conn, figures.Scope(period.start, period.end, ids))
        # Compared only by volumes and service level: no histograms needed.
        previous_rows = figures.read(
            conn, figures.Scope(before.start, before.end, ids), histograms=False
        )
        trend_start = quarter_of(before.start).start
        if (before.start, before.end) == (trend_start, quarter_of(before.start).end):
            trend_rows = previous_rows + current_rows  # two whole periods: read already
        else:  # the months of the quarter before in full, not only its first days
            scope = figures.Scope(trend_start, period.end, ids)
            trend_rows = figures.read(conn, scope, histograms=False)
        service_names = _service_names(conn, ids, language)
    place = {c.id: c.municipality for c in shown}
    centre_names = {c.id: c.name for c in shown}

    def grouped(rows: list[rollups.Packed], grouping: str) -> dict[str, dict[str, Any]]:
        return figures.grouped(rows, grouping, place)

    def counted(rows: list[rollups.Packed], grouping: str) -> dict[str, rollups.Counts]:
        """What a comparison needs (volumes, service level): no histograms to merge."""
        parts = figures.group_rows(rows, grouping, place)
        return {name: rollups.counted(part) for name, part in parts.items()}

    total = grouped(current_rows, "total").get("total")
    total_before = counted(previous_rows, "total").get("total")
    by_place = grouped(current_rows, "municipality")
    by_centre = grouped(current_rows, "centre")
    by_service = grouped(current_rows, "service")
    by_month: dict[str, float | None] = dict.fromkeys(_months(trend_start, period.end))
    by_month.update(
        (month, counts.service_level) for month, counts in counted(trend_rows, "month").items()
    )
    feedback = (total or {}).get("feedback", {"distribution": {}})
    minutes = t("unit.minutes", language)
    centre_rows = _rows(by_centre, counted(previous_rows, "centre"), centre_names)
    for row in centre_rows:
        row["municipality"] = place.get(row["id"], "")
    centre_rows.sort(key=lambda row: (row["municipality"], row["name"]))
    return {
        "period": period,
        "previous": before,
        "quarter": period.name if is_quarter(period) else "",
        "previous_quarter": quarter_of(period.start - timedelta(days=1)).name,
        "next_quarter": quarter_of(quarter_of(period.start).end + timedelta(days=1)).name,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "municipality": municipality,
        "centres": len(shown),
        "total": total,
        "total_before": total_before,
        "change": _change(total, total_before),
        "municipalities": _rows(by_place, counted(previous_rows, "municipality"), {}),
        "centre_rows": centre_rows,
        "services": _rows(by_service, {}, service_names),
        "charts": {
            "trend": (
                t("network.trend", language),
                charts.line(
                    t("network.trend", language),
                    list(by_month),
                    [None if v is None else round(v * 100, 1) for v in by_month.values()],
                    "%",
                    target=SERVICE_LEVEL_TARGET,
                ),
            ),
            "visits": (
                t("network.visits_by_municipality", language),
                charts.bars(
                    t("network.visits_by_municipality", language),
                    list(by_place),
                    [v["issued"] + v["walk_direct"] for v in by_place.values()],
                    t("reports.visits", language),
                ),
            ),
            "waits": (
                t("network.wait_by_municipality", language),
                charts.bars(
                    t("network.wait_by_municipality", language),
                    list(by_place),
                    [round((v["wait_seconds"]["mean"] or 0) / 60, 1) for v in by_place.values()],
                    minutes,
                ),
            ),
            "feedback": (
                t("reports.feedback", language),
                charts.bars(
                    t("reports.feedback", language),
                    ["☹ 1", "2", "3", "4", "☺ 5"],
                    [feedback["distribution"].get(str(r), 0) for r in range(1, 6)],
                    t("reports.ratings", language),
                    color=charts.GREEN,
                ),
            ),
        },
    }


def _service_names(conn: Any, centre_ids: tuple[str, ...], language: str) -> dict[str, str]:
    """Service id -> its name in `language`, as the centres' profiles give it; a centre's
    local-only service is marked local (it is not part of the national catalogue)."""
    names: dict[str, str] = {}
    for (profile,) in conn.execute(
        "SELECT profile FROM centres WHERE id = ANY(%s) AND profile IS NOT NULL ORDER BY id",
        (list(centre_ids),),
    ):
        for service in profile.get("services", []):
            name = service.get("name", {})
            shown = name.get(language) or name.get("lv") or service["id"]
            if service.get("local"):
                shown = f"{shown} ({t('catalogue.local', language)})"
            names.setdefault(service["id"], shown)
    return names
