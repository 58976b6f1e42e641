"""`python -m bench startup`: seconds from launching `kilocloud` to its answer.

`kilocloud up` on a fresh and on a restarted state directory, to the first 200 on
/healthcheck, and `kilocloud --help` to its exit; medians of --runs, after one warm-up so
that bytecode is cached as after an install. Beside each start, the server's own CPU time
until ready, which what else the machine runs hardly changes."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time

from bench import load

TARGETS = {"ready_s": 1.0, "restart_ready_s": 1.0, "help_s": 0.3}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the start-up benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="launches to take the median of")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def help_seconds() -> float:
    """Seconds `kilocloud --help` takes from launch to exit."""
    started = time.perf_counter()
    subprocess.run([*load.command(), "--help"], check=True, capture_output=True)
    return time.perf_counter() - started


def measure(runs: int) -> dict[str, float]:
    """Median start-up figures over `runs` launches of each kind."""
    with load.cloud():  # warm-up: bytecode caches and the page cache
        help_seconds()
    fresh, again, helps = [], [], []
    for _ in range(runs):
        fresh_cloud, restarted = load.start_and_restart()
        fresh.append(fresh_cloud)
        again.append(restarted)
        helps.append(help_seconds())
    figures = {"load_average": os.getloadavg()[0], "cpus": os.cpu_count()}
    for name, clouds in (("ready", fresh), ("restart_ready", again)):
        figures[f"{name}_s"] = round(statistics.median(c.ready_after for c in clouds), 3)
        figures[f"{name}_cpu_s"] = round(statistics.median(c.ready_cpu for c in clouds), 3)
    figures["help_s"] = round(statistics.median(helps), 3)
    return figures


def report(figures: dict) -> str:
    """The figures as text, each against its target."""
    lines = [
        f"machine            {figures['cpus']} CPUs, load average {figures['load_average']:.2f}"
    ]
    for name, label in (
        ("ready_s", "up, fresh state"),
        ("restart_ready_s", "up, restart"),
        ("help_s", "--help"),
    ):
        met = "met" if figures[name] < TARGETS[name] else "MISSED"
        line = f"{label:<18} {figures[name]:.3f} s  (target < {TARGETS[name]:g}: {met})"
        cpu = figures.get(name.replace("_s", "_cpu_s"))
        lines.append(line if cpu is None else f"{line}  server CPU {cpu:.3f} s")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = measure(args.runs)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0
