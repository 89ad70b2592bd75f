"""Runs the chosen figures, prints the table and writes the JSON file.

A figure that cannot be measured (a program missing, a run that printed the
wrong thing) is reported as failed with the reason; the others still run.
The exit status is 1 when any figure or import check failed, else 0; a goal
that is missed is a finding, not a failure of the run.
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from bench import fig_app, fig_process, fig_table
from bench.harness import Context, say
from bench.imports import render_checks, run_checks
from bench.options import Options, parse_options
from bench.procs import REPO_ROOT, compile_package
from bench.results import Figure, Goal, render_table, write_json

MEASURES: dict[str, Callable[[Context], Figure]] = {
    "first-row": fig_process.first_row,
    "headless-first-page": fig_process.headless_first_page,
    "full-listing": fig_process.full_listing,
    "append-cost": fig_table.append_cost,
    "key-latency": fig_table.key_latency,
    "memory": fig_table.memory,
    "stalls": fig_app.stalls,
    "filter-switch": fig_app.filter_switch,
}

GOALS: dict[str, Goal] = {
    "first-row": Goal("ratio", 1.3),
    "headless-first-page": Goal("ratio", 1.0),
    "full-listing": Goal("ratio", 0.6),
    "append-cost": Goal("ratio", 1.5),
    "key-latency": Goal("ratio", 1.2),
    "memory": Goal("absolute", 400, "KiB"),
    "stalls": Goal("absolute", 0, "stalls"),
    "filter-switch": Goal("absolute", 50, "ms"),
}


def _measure(key: str, ctx: Context) -> Figure:
    say(f"{key}:")
    try:
        return MEASURES[key](ctx)
    except Exception as error:  # one broken figure must not hide the rest
        say(f"  failed: {error}")
        reason = " ".join(str(error).split())[:160] or type(error).__name__
        return Figure(key=key, title=key, unit="", goal=GOALS[key], error=reason)


def _git(*args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    return proc.stdout.strip()


def _meta(options: Options, started: float) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 1),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--", "swrgc_tui")),
        "python": platform.python_version(),
        "textual": version("textual"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "quick": options.quick,
        "repeat": options.repeat,
        "sizes": options.sizes.__dict__,
    }


def main(argv: list[str] | None = None) -> int:
    """Runs the benchmarks as ``python -m bench`` does; returns the exit status."""
    options = parse_options(argv)
    started = time.monotonic()
    compile_package()
    ctx = Context(options)
    try:
        figures = [_measure(key, ctx) for key in options.figures]
        checks = []
        if options.check_imports:
            say("import checks:")
            checks = run_checks(ctx.emulator(400))
    finally:
        ctx.close()
    meta = _meta(options, started)
    meta["import_checks"] = [check.as_json() for check in checks]
    write_json(options.json_path, meta, figures)
    print(render_table(figures))
    if checks:
        print(render_checks(checks))
    repeat = options.repeat
    others = [f"{f.title}: {len(f.ours)}" for f in figures if len(f.ours) != repeat]
    runs = f"{repeat} runs" + (f" ({', '.join(others)})" if others else "")
    print(f"(medians of {runs}; all samples in {options.json_path})")
    failed = any(fig.error for fig in figures) or any(not c.ok for c in checks)
    return 1 if failed else 0
