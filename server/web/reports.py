"""The manager report: the period's figures, the charts and the tables behind them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.days import parse_day
from core.i18n import t
from server import charts, stats
from server.context import ServerContext


def _day(text: str, field: str) -> date | None:
    return parse_day(text, field) if text else None


def _titled(title: str, url: str) -> tuple[str, str]:
    return title, url


def default_period(today: date) -> tuple[date, date]:
    """The current quarter up to today."""
    first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return first, today


def build_report(
    ctx: ServerContext, language: str, start_text: str, end_text: str, service: str | None
) -> dict[str, Any]:
    """Figures and SVG charts for the report page."""
    now = ctx.clock.now()
    today = now.astimezone(ZoneInfo(ctx.catalogue.centre.timezone)).date()
    first, last = default_period(today)
    start = _day(start_text, "from") or first
    end = _day(end_text, "to") or (last if not start_text else start + timedelta(days=91))
    conn = ctx.reads.get()
    catalogue = ctx.catalogue

    period = stats.read_period(conn, catalogue, start, end, service, now=now)
    figures = period.grouped

    total = figures("total").get("total")
    by_hour = figures("hour")
    by_day = figures("day")
    by_service = figures("service")
    by_clerk = figures("clerk")
    names = {s.id: s.name.get(language) for s in catalogue.services}
    minutes = t("unit.minutes", language)
    feedback = (total or {}).get("feedback", {"distribution": {}})
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": total,
        "services": [(names.get(k, k), v) for k, v in by_service.items()],
        "clerks": list(by_clerk.items()),
        "applications": stats.application_statistics(conn, catalogue, start, end)["types"],
        "appointments": [
            (names.get(k, k) if k != "total" else t("reports.total", language), v)
            for k, v in stats.appointment_statistics(conn, catalogue, start, end, now=now)[
                "groups"
            ].items()
        ],
        "type_names": {a.id: a.name.get(language) for a in catalogue.application_types},
        "charts": {
            "wait_by_hour": _titled(
                t("reports.wait_by_hour", language),
                charts.bars(
                    t("reports.wait_by_hour", language),
                    list(by_hour),
                    [round((v["wait_seconds"]["mean"] or 0) / 60, 1) for v in by_hour.values()],
                    minutes,
                ),
            ),
            "service_level": _titled(
                t("reports.service_level_trend", language),
                charts.line(
                    t("reports.service_level_trend", language),
                    list(by_day),
                    [
                        None if v["service_level"] is None else round(v["service_level"] * 100, 1)
                        for v in by_day.values()
                    ],
                    "%",
                    target=80,
                ),
            ),
            "volume": _titled(
                t("reports.volume_by_service", language),
                charts.bars(
                    t("reports.volume_by_service", language),
                    [names.get(k, k) for k in by_service],
                    [v["issued"] + v["walk_direct"] for v in by_service.values()],
                    t("reports.visits", language),
                ),
            ),
            "feedback": _titled(
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
