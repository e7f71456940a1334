"""Simulation report: queueing-theory validation, routing strategies, estimator accuracy.

    .venv/bin/python bench/simulation_report.py [--out docs/simulation-results.md]

Prints the figures as Markdown tables (and writes them to --out). Every run
is seeded, so the tables are reproducible. `docs/simulation-results.md` is this
command's output: regenerate it with
`.venv/bin/python bench/simulation_report.py --out docs/simulation-results.md`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.model import Strategy  # noqa: E402
from simulation.engine import Simulator  # noqa: E402
from simulation.erlang import arrival_rate_for, mean_wait  # noqa: E402
from simulation.metrics import summarize  # noqa: E402
from simulation.scenario import Scenario, load_scenario  # noqa: E402

SCENARIOS = ("rural", "city", "peak_day")
ACCURACY_SCENARIOS = ("rural", "city", "peak_day", "mm4")
RANDOM_SEEDS = range(12)
SEEDS = (1, 2, 3)
SERVICE_RATE = 6.0


def minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def mmc(utilisation: float, customers: int, priority: float = 0.0) -> Scenario:
    base = load_scenario("mmc")
    rate = arrival_rate_for(3, SERVICE_RATE, utilisation)
    service = replace(base.services[0], arrivals_per_hour=rate)
    return replace(
        base, services=(service,), continuous_hours=customers / rate, priority_share=priority
    )


def erlang_row(args: tuple[float, int]) -> str:
    utilisation, customers = args
    scenario = mmc(utilisation, customers)
    result = Simulator(scenario, 11, estimate=False).run()
    waits = [v.wait for v in result.visits if v.measured and v.wait is not None]
    simulated = statistics.fmean(waits)
    theory = mean_wait(3, arrival_rate_for(3, SERVICE_RATE, utilisation), SERVICE_RATE) * 3600
    return (
        f"| {utilisation:.1f} | {len(waits):,} | {theory / 60:.2f} | {simulated / 60:.2f} | "
        f"{(simulated / theory - 1) * 100:+.1f}% |"
    )


def erlang_table() -> list[str]:
    loads = [(0.5, 300_000), (0.8, 600_000), (0.9, 1_200_000)]
    with get_context("spawn").Pool(2) as pool:
        rows = pool.map(erlang_row, loads)
    return [
        "## Validation against queueing theory (M/M/3)",
        "",
        "One service, 3 counters, Poisson arrivals, exponential visits of 10 minutes on average,",
        "served in order; mean wait in minutes after a 20-hour warm-up.",
        "",
        "| Utilisation | Visitors | Erlang C | Simulated | Difference |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
    ]


def strategy_table() -> list[str]:
    lines = [
        "## Routing strategies",
        "",
        "Same visitors (same seed) under the centre's configured mix of strategies and with every",
        "counter using one strategy. Waits in minutes; SL = share called within the service's target.",
        "",
        "| Scenario | Strategy | Mean wait | p90 wait | Max wait | SL | Worst service (mean) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in SCENARIOS:
        scenario = load_scenario(name)
        variants = [("configured mix", scenario)] + [
            (strategy.value, scenario.with_strategy(strategy)) for strategy in Strategy
        ]
        for label, variant in variants:
            figures = summarize(Simulator(variant, 1).run(), variant)
            overall = figures["overall"]
            worst = max(figures["services"].items(), key=lambda item: item[1]["mean_wait_seconds"])
            lines.append(
                f"| {scenario.name} | {label} | {minutes(overall['mean_wait_seconds'])} | "
                f"{minutes(overall['p90_wait_seconds'])} | {minutes(overall['max_wait_seconds'])} | "
                f"{percent(overall['service_level'])} | {worst[0]} {minutes(worst[1]['mean_wait_seconds'])} |"
            )
    lines.append("")
    return lines


def _accuracy_row(job: tuple[str, int]) -> str:
    name, seed = job
    if name.startswith("random "):
        from simulation.random_scenario import random_scenario

        scenario = random_scenario(int(name.split()[1]))
    else:
        scenario = load_scenario(name)
    overall = summarize(Simulator(scenario, seed).run(), scenario)["overall"]
    if not overall.get("estimates"):
        return f"| {scenario.name} | {seed} | — | no estimates | | | | | | |"
    mae, naive = overall["estimate_mae_seconds"], overall["naive_mae_seconds"]
    return (
        f"| {scenario.name} | {seed} | {minutes(overall['mean_wait_seconds'])} | "
        f"{minutes(mae)} | {minutes(naive)} | {mae / naive:.2f} | "
        f"{minutes(overall['estimate_bias_seconds'])} | {minutes(overall['naive_bias_seconds'])} | "
        f"{percent(overall['range_coverage'])} | {overall['ranges']:,} / {overall['estimates']:,} |"
    )


def estimator_table() -> list[str]:
    jobs = [(name, seed) for name in ACCURACY_SCENARIOS for seed in SEEDS]
    jobs += [(f"random {seed}", 1) for seed in RANDOM_SEEDS]
    with get_context("spawn").Pool(2) as pool:
        rows = pool.map(_accuracy_row, jobs)
    return [
        "## Estimated waiting time against the naive rule",
        "",
        "The estimate each visitor is shown when taking the ticket, against the wait that followed.",
        "Naive rule: people ahead × mean visit length ÷ open counters for the service.",
        "Rinda's estimate is the play-through calibrated by the outcomes of earlier estimates",
        "(`core.wait_range`); the range is the 80 % interval told with it. Minutes; MAE = mean",
        "absolute error; bias = mean (estimate − wait); coverage = share of waits inside the range.",
        "Shipped scenarios with seeds 1-3, then random centres (`simulation/random_scenario.py`).",
        "",
        "| Scenario | Seed | Mean wait | Rinda MAE | Naive MAE | Rinda ÷ naive | Rinda bias | Naive bias | Range coverage | With a range |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
    ]


def fairness_table() -> list[str]:
    lines = [
        "## Priority with the fairness bound",
        "",
        "M/M/3 at 90 % utilisation, 40,000 visitors, fairness limit 20 minutes. Waits in minutes.",
        "",
        "| Priority share | Normal p90 | Priority p90 | Normal mean | Priority mean | Overtaking past the limit |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for share in (0.0, 0.1, 0.3):
        scenario = mmc(0.9, 40_000, share)
        result = Simulator(scenario, 3, estimate=False).run()
        overall = summarize(result, scenario)["overall"]
        waits = {
            flag: [
                v.wait
                for v in result.visits
                if v.measured and v.wait is not None and v.is_priority is flag
            ]
            for flag in (True, False)
        }
        priority_mean = statistics.fmean(waits[True]) if waits[True] else None
        lines.append(
            f"| {percent(share)} | {minutes(overall['normal_p90_wait_seconds'])} | "
            f"{minutes(overall['priority_p90_wait_seconds']) if waits[True] else '—'} | "
            f"{minutes(statistics.fmean(waits[False]))} | {minutes(priority_mean)} | "
            f"{overall['fairness_violations']} |"
        )
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--skip-erlang", action="store_true", help="skip the long validation runs")
    args = parser.parse_args()
    lines = [
        "# Simulation results",
        "",
        "Generated by `bench/simulation_report.py`; see [simulation.md](simulation.md).",
        "",
    ]
    if not args.skip_erlang:
        lines += erlang_table()
    lines += estimator_table() + strategy_table() + fairness_table()
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
