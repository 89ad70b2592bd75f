"""Quick probe of the task table at scale: append cost, key latency, memory.

Run ``python -m bench._table_probe`` from the repository root. Each round is
a fresh child process holding a bare app with the real TaskTable over a real
TaskStore, headless at 120x40; it measures the small and the large size one
after the other (in alternating order from round to round) and prints JSON.
The parent prints medians over the rounds and the ratios the goals name:

- append cost: one page of 100 added and repainted, 100,000 vs 1,000 loaded;
- key latency: cursor-down to repaint, 100,000 vs 100 loaded;
- memory: resident growth per 1,000 tasks while loading 0 -> 100,000.

Times are this process's CPU time, so other work on a shared machine counts
for less than it would in wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from swrgc_tui.api.models import GcTask
from swrgc_tui.tui.store import TaskStore
from swrgc_tui.tui.widgets.task_table import TaskTable

SIZE = (120, 40)
WARMUP, SAMPLES = 5, 21


def pages(count: int, start: int = 0) -> Iterator[list[GcTask]]:
    """Parsed pages of 100 tasks shaped like a registry's daily GC history."""
    rng = random.Random(start)
    for first in range(start, start + count, 100):
        yield [GcTask.model_validate(_wire(i, rng)) for i in range(first, first + 100)]


def _wire(index: int, rng: random.Random) -> dict[str, Any]:
    manual = rng.randrange(12) == 0
    created = 1_750_000_000 - index * 21_600
    return {
        "id": 50_000_000 - index,
        "job_name": f"manual-gc-{index}" if manual else "GARBAGE_COLLECTION",
        "job_kind": "MANUAL" if manual else "SCHEDULE",
        "job_status": rng.choice(("Success",) * 8 + ("Error", "Stopped")),
        "creation_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)),
        "update_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created + 95)),
        "job_parameters": json.dumps(
            {"workers": 2, "dry_run": rng.random() < 0.1, "freed_space": 10**9 + index}
        ),
    }


class ProbeApp(App[None]):
    def __init__(self, table: TaskTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def repaint(pilot: Pilot[None]) -> None:
    """Handles pending messages and paints, as the pilot does, until settled."""
    screen = pilot.app.screen
    for _ in range(4):
        await pilot._wait_for_screen()
        screen._on_timer_update()
        if not (screen._dirty_widgets or screen._layout_required):
            return


async def load(pilot: Pilot[None], table: TaskTable, count: int) -> None:
    for page in pages(count - len(table.store), start=len(table.store)):
        table.store.extend(page)
        table.rows_changed()
    await repaint(pilot)


async def append_ms(pilot: Pilot[None], table: TaskTable) -> float:
    ahead = list(pages(100 * (WARMUP + SAMPLES), start=len(table.store)))
    samples = []
    for page in ahead:
        table.cursor_row = len(table.store) - 1
        await repaint(pilot)
        begin = time.process_time()
        table.store.extend(page)
        table.rows_changed()
        await repaint(pilot)
        samples.append(1000 * (time.process_time() - begin))
    return statistics.median(samples[WARMUP:])


async def key_ms(pilot: Pilot[None], table: TaskTable, first_row: int) -> float:
    table.cursor_row = first_row
    await repaint(pilot)
    samples = []
    for _ in range(WARMUP + SAMPLES):
        begin = time.process_time()
        await pilot.press("down")  # the pilot's idle wait sleeps: no CPU time
        samples.append(1000 * (time.process_time() - begin))
    return statistics.median(samples[WARMUP:])


async def measure(mode: str, rows: int) -> float:
    """One figure at one size, in a fresh app."""
    table = TaskTable(TaskStore())
    async with ProbeApp(table).run_test(size=SIZE) as pilot:
        table.focus()
        table.set_tail("more" if mode == "append" else "end")
        if mode == "memory":
            gc.collect()
            base = rss()
            await load(pilot, table, rows)
            gc.collect()
            return (rss() - base) / 1024 * 1000 / rows
        await load(pilot, table, rows)
        if mode == "append":
            return await append_ms(pilot, table)
        # Mid-list, past the first screenful, so every key scrolls.
        return await key_ms(pilot, table, max(SIZE[1], rows // 2))


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child(mode: str, sizes: list[int]) -> None:
    results = {size: asyncio.run(measure(mode, size)) for size in sizes}
    print(json.dumps({str(size): value for size, value in results.items()}))


def run_round(mode: str, sizes: list[int]) -> dict[str, float]:
    command = [sys.executable, "-m", "bench._table_probe", "--child", mode]
    out = subprocess.run(
        [*command, *map(str, sizes)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench._table_probe")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], [int(size) for size in args.child[1:]])
        return
    for mode, small, unit in (("append", 1_000, "ms"), ("keys", 100, "ms")):
        found: dict[int, list[float]] = {small: [], 100_000: []}
        for number in range(args.rounds):
            order = [small, 100_000][:: 1 if number % 2 else -1]
            for size, value in run_round(mode, order).items():
                found[int(size)].append(value)
        big, little = (statistics.median(found[s]) for s in (100_000, small))
        print(
            f"{mode:7} 100,000: {big:6.2f} {unit}  {small:,}: {little:6.2f} {unit}"
            f"  ratio {big / little:.2f}  (CPU medians of {args.rounds} rounds)"
        )
    growth = [run_round("memory", [100_000])["100000"] for _ in range(args.rounds)]
    per_1000 = statistics.median(growth)
    print(
        f"memory  {per_1000:6.1f} KiB per 1,000 tasks, {per_1000 * 100 / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
