"""`rinda simulate`: run a scenario and print waits, service level and estimate accuracy."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(commands: Any) -> None:
    """Add `rinda simulate`."""
    simulate = commands.add_parser(
        "simulate", help="simulate days of a centre and measure waits and estimate accuracy"
    )
    simulate.add_argument(
        "--scenario",
        required=True,
        help="a shipped scenario (rural, city, peak_day, mmc) or a TOML file",
    )
    simulate.add_argument("--seed", type=int, default=1)
    simulate.add_argument("--json", action="store_true", help="print the figures as JSON")
    simulate.add_argument(
        "--strategy",
        choices=["longest_wait", "profile_order", "service_level"],
        help="make every counter use this strategy",
    )
    simulate.add_argument(
        "--priority-share",
        type=float,
        default=None,
        help="override the share of priority tickets (0-1)",
    )
    simulate.set_defaults(handler=_simulate)


def _simulate(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from core.errors import CatalogueError
    from core.model import Strategy
    from simulation.engine import Simulator
    from simulation.metrics import summarize
    from simulation.scenario import load_scenario

    try:
        scenario = load_scenario(args.scenario)
    except CatalogueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.strategy:
        scenario = scenario.with_strategy(Strategy(args.strategy))
    if args.priority_share is not None:
        scenario = replace(scenario, priority_share=args.priority_share)
    figures = summarize(Simulator(scenario, args.seed).run(), scenario)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        print(format_table(figures))
    return 0


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def format_table(figures: dict[str, Any]) -> str:
    """Figures as a plain-text table (minutes)."""
    header = (
        f"{'service':<20} {'visitors':>8} {'mean':>6} {'p90':>6} {'max':>6} {'SL':>5} "
        f"{'est MAE':>8} {'est p90':>8} {'bias':>6} {'naive':>6} {'away':>5}"
    )
    rows = [
        f"Scenario: {figures['scenario']}  (seed {figures['seed']}; waits in minutes)",
        header,
        "-" * len(header),
    ]
    for name, data in [*figures["services"].items(), ("OVERALL", figures["overall"])]:
        cells = [
            f"{name:<20}",
            f"{data['visitors']:>8}",
            f"{_minutes(data['mean_wait_seconds']):>6}",
            f"{_minutes(data['p90_wait_seconds']):>6}",
            f"{_minutes(data['max_wait_seconds']):>6}",
            f"{_percent(data.get('service_level')):>5}",
            f"{_minutes(data.get('estimate_mae_seconds')):>8}",
            f"{_minutes(data.get('estimate_p90_abs_error_seconds')):>8}",
            f"{_minutes(data.get('estimate_bias_seconds')):>6}",
            f"{_minutes(data.get('naive_mae_seconds')):>6}",
            f"{data.get('turned_away', 0):>5}",
        ]
        rows.append(" ".join(cells))
    overall = figures["overall"]
    rows.append("")
    share = overall.get("estimate_mae_share_of_mean_wait")
    rows.append(
        f"Estimate mean absolute error: {_percent(share)} of the mean wait "
        f"(naive baseline: {_minutes(overall.get('naive_mae_seconds'))} min)"
    )
    rows.append(
        f"Normal p90 wait {_minutes(overall['normal_p90_wait_seconds'])} min, "
        f"priority p90 {_minutes(overall['priority_p90_wait_seconds'])} min, "
        f"fairness violations {overall['fairness_violations']}"
    )
    rows.append(
        "Counter utilisation: "
        + ", ".join(
            f"{counter} {_percent(value)}"
            for counter, value in figures["counter_utilisation"].items()
        )
    )
    return "\n".join(rows)
