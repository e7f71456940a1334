"""The statistics as a CSV table: one row per group, the same columns wherever the
figures come from (a centre's `/api/v1/stats.csv`, the network hub's
`/api/v1/network/stats.csv`), written by the one CSV writer (`core.csv_export`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.csv_export import Cell, csv_text

CLERK_FIELDS = (
    "idle_seconds",
    "calling_seconds",
    "serving_seconds",
    "paused_seconds",
    "busy_share",
)
CLERK_COLUMNS = tuple(f"clerk_{name.replace('_seconds', '_s')}" for name in CLERK_FIELDS)
FIGURE_COLUMNS = (
    "issued",
    "served",
    "no_shows",
    "cancelled",
    "expired",
    "walk_direct",
    "called",
    "wait_mean_s",
    "wait_median_s",
    "wait_p90_s",
    "wait_max_s",
    "service_mean_s",
    "service_level",
    "feedback_count",
    "feedback_average",
    *CLERK_COLUMNS,
)
"""The columns after the group's name."""


def clerk_cells(clerk_time: Mapping[str, Any] | None) -> list[Cell]:
    """A group's clerk time as cells (empty where it is not measured)."""
    return [None if clerk_time is None else clerk_time[name] for name in CLERK_FIELDS]


def figure_cells(figures: Mapping[str, Any]) -> list[Cell]:
    """One group's figures (`core.statistics.Figures.as_dict`) as the cells of
    `FIGURE_COLUMNS`."""
    wait, service = figures["wait_seconds"], figures["service_seconds"]
    return [
        figures["issued"],
        figures["served"],
        figures["no_shows"],
        figures["cancelled"],
        figures["expired"],
        figures["walk_direct"],
        figures["called"],
        wait["mean"],
        wait["median"],
        wait["p90"],
        wait["max"],
        service["mean"],
        figures["service_level"],
        figures["feedback"]["count"],
        figures["feedback"]["average"],
        *clerk_cells(figures["clerk_time"]),
    ]


def stats_csv(grouping: str, groups: Mapping[str, Mapping[str, Any]]) -> str:
    """The CSV document: a header (`grouping`, then `FIGURE_COLUMNS`) and a row per
    group."""
    rows = [[name, *figure_cells(figures)] for name, figures in groups.items()]
    return csv_text([grouping, *FIGURE_COLUMNS], rows)
