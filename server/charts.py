"""Report charts as SVG images, drawn with matplotlib (server side: no script in the page,
the same picture on screen and on paper)."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot
from matplotlib.figure import Figure

# Text stays text in the SVG (not outlines of each letter): a fraction of the time to
# draw and of the size, drawn by the page's own fonts.
matplotlib.rcParams["svg.fonttype"] = "none"

BLUE = "#0b3d91"
GREEN = "#00733f"
_lock = threading.Lock()  # pyplot's font cache is shared between threads


def _svg(figure: Figure) -> str:
    """The figure as an SVG `data:` URL, for an <img> (an image document keeps its own
    styles, which the page's Content-Security-Policy would block if inlined)."""
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    pyplot.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def bars(
    title: str, labels: Sequence[str], values: Sequence[float], unit: str, color: str = BLUE
) -> str:
    """A bar chart (e.g. waiting time by hour of day, volume by service)."""
    with _lock:
        figure, axes = pyplot.subplots(figsize=(7.5, 3.2))
        axes.bar(list(labels), list(values), color=color)
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_ylabel(unit)
        axes.spines[["top", "right"]].set_visible(False)
        axes.tick_params(axis="x", labelrotation=30 if max(map(len, labels or [""])) > 3 else 0)
        axes.grid(axis="y", alpha=0.3)
        return _svg(figure)


def line(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    target: float | None = None,
) -> str:
    """A trend line (e.g. service level by day), with an optional target line."""
    with _lock:
        figure, axes = pyplot.subplots(figsize=(7.5, 3.2))
        # Every label keeps its place on the axis; a period without a value is a gap.
        points = [(x, v) for x, v in enumerate(values) if v is not None]
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=GREEN)
        axes.set_xticks(range(len(labels)), list(labels))
        if target is not None:
            axes.axhline(target, color="#9b1c1c", linestyle="--", linewidth=1)
        axes.set_title(title, loc="left", fontsize=11)
        axes.set_ylabel(unit)
        axes.set_ylim(bottom=0)
        axes.spines[["top", "right"]].set_visible(False)
        axes.tick_params(axis="x", labelrotation=30)
        axes.grid(axis="y", alpha=0.3)
        return _svg(figure)
