"""Figures of the task table: append cost, key latency, memory.

Each sample comes from a fresh child process (:mod:`bench.table_child`), so
no figure inherits another's heap; see there for how each is measured.
"""

from __future__ import annotations

import statistics
from typing import Any

from bench.harness import Context, interleave, say
from bench.procs import run_child
from bench.results import Figure, Goal
from bench.table_child import SAMPLES_PER_RUN

CHILD = "bench.table_child"


def _paired(ctx: Context, mode: str, small: int, label: str) -> dict[str, list[float]]:
    """Medians of one child per repeat, each child measuring both sizes.

    Returns:
        Per repeat, the CPU-time medians at the full size ("ours") and at the
        small one ("reference"), and the wall-time medians of both.
    """
    rows = ctx.options.sizes.table_rows
    found: dict[str, list[float]] = {
        "ours": [], "reference": [], "ours_wall": [], "reference_wall": []
    }  # fmt: skip
    for round_ in range(ctx.options.repeat):
        # Each side goes first in every other run, so neither always runs cold.
        order = ["--large-first"] if round_ % 2 else []
        result = run_child(CHILD, mode, f"--rows={rows}", f"--small={small}", *order)
        for side in ("ours", "reference"):
            found[side].append(statistics.median(result[side]["cpu"]))
            found[side + "_wall"].append(statistics.median(result[side]["wall"]))
        say(
            f"  {label} {round_ + 1}/{ctx.options.repeat}: "
            f"ours {found['ours'][-1]:.3g}, reference {found['reference'][-1]:.3g}"
        )
    return found


def _wall_note(found: dict[str, list[float]]) -> dict[str, Any]:
    return {
        "wall_ms_median": {
            "ours": statistics.median(found["ours_wall"]),
            "reference": statistics.median(found["reference_wall"]),
        },
        "wall_ms_samples": {
            "ours": found["ours_wall"],
            "reference": found["reference_wall"],
        },
    }


def append_cost(ctx: Context) -> Figure:
    """One page appended and painted at ``table_rows`` loaded vs 1,000."""
    sizes = ctx.options.sizes
    found = _paired(ctx, "append", sizes.append_small, "append cost (CPU ms)")
    return Figure(
        key="append-cost",
        title=f"append cost ({sizes.table_rows:,} vs {sizes.append_small:,})",
        unit="ms",
        goal=Goal("ratio", 1.5),
        reference_label=f"{sizes.append_small:,} loaded",
        ours=found["ours"],
        reference=found["reference"],
        extra=_wall_note(found),
        notes=[
            "CPU time of TaskStore.extend + TaskTable.rows_changed + the forced "
            "repaint, cursor on the last row; median of "
            f"{SAMPLES_PER_RUN} pages per run (wall time in extra)"
        ],
    )


def key_latency(ctx: Context) -> Figure:
    """Cursor-down to repaint at ``table_rows`` loaded (mid-list) vs 100."""
    sizes = ctx.options.sizes
    found = _paired(ctx, "keys", sizes.key_small, "key latency (CPU ms)")
    return Figure(
        key="key-latency",
        title=f"key latency ({sizes.table_rows:,} vs {sizes.key_small:,})",
        unit="ms",
        goal=Goal("ratio", 1.2),
        reference_label=f"{sizes.key_small:,} loaded",
        ours=found["ours"],
        reference=found["reference"],
        extra=_wall_note(found),
        notes=[
            "CPU time from the down key posted to the app to the repaint showing "
            f"the moved cursor; every key scrolls; median of {SAMPLES_PER_RUN} "
            "keys per run (wall time in extra)"
        ],
    )


def memory(ctx: Context) -> Figure:
    """Resident memory per 1,000 tasks loaded, TaskTable vs the stock DataTable."""
    rows = ctx.options.sizes.table_rows
    totals: list[float] = []

    def ours() -> float:
        result = run_child(CHILD, "memory", f"--rows={rows}")
        totals.append(result["total_kib"])
        return float(result["per_1000_kib"])

    def stock() -> float:
        result = run_child(CHILD, "memory", f"--rows={rows}", "--datatable")
        return float(result["per_1000_kib"])

    per_1000, reference = interleave(
        ctx.options.repeat, ours, stock, "memory (KiB/1000)", warm_up=False
    )
    total = statistics.median(totals)
    return Figure(
        key="memory",
        title=f"memory per 1,000 tasks (0 → {rows:,})",
        unit="KiB",
        goal=Goal("absolute", 400, "KiB"),
        reference_label="stock DataTable",
        ours=per_1000,
        reference=reference,
        detail=f"total {total / 1024:.1f} MiB",
        extra={"total_kib_samples": totals},
        notes=["RSS after gc, before and after loading page by page"],
    )
