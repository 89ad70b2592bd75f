"""The child side of the table figures: one process, one measurement.

``python -m bench.table_child MODE`` runs a bare app holding the real
:class:`TaskTable` over a real :class:`TaskStore` headless at 120x40 and
prints its samples as one JSON line. Times run from the change (rows
appended, key posted) to the end of the repaint that shows it, forced the
way Textual's own pilot forces one.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

from bench.data import pages, plain_row

SIZE = (120, 40)
SAMPLES_PER_RUN = 21
COLUMN_TITLES = ("ID", "Name", "Kind", "Status", "Created", "Took", "Freed", "Dry")
WARMUP = 8


class TableApp(App[None]):
    """Nothing but the widget under test, filling the screen."""

    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self._make = make

    def compose(self) -> ComposeResult:
        yield self._make()


async def settle(pilot: Pilot[None]) -> None:
    """Waits for pending messages, then paints what changed, until nothing has."""
    screen = pilot.app.screen
    for _ in range(4):
        await pilot._wait_for_screen()
        screen._on_timer_update()
        if not (screen._dirty_widgets or screen._layout_required):
            return


def rss_bytes() -> int:
    """Resident memory of this process."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _task_table() -> tuple[Any, Any]:
    from swrgc_tui.tui.store import TaskStore
    from swrgc_tui.tui.widgets.task_table import TaskTable

    store = TaskStore()
    return store, TaskTable(store, id="tasks")


async def _load(pilot: Pilot[None], store: Any, table: Any, count: int) -> None:
    """Fills the store to ``count`` tasks, from scratch if it holds more."""
    if len(store) > count:
        store.clear()
    start = len(store)
    for page in pages(count - start, start=start):
        store.extend(page)
        table.rows_changed()
    await settle(pilot)


class Stopwatch:
    """Samples of one measurement, as wall time and as this process's CPU time.

    CPU time is the figure: on a machine shared with other work, wall time
    mostly measures who else ran; CPU time measures what the table did.
    """

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self._begin = (0.0, 0.0)

    def start(self) -> None:
        self._begin = (time.perf_counter(), time.process_time())

    def stop(self) -> None:
        wall, cpu = self._begin
        self.wall.append(1000 * (time.perf_counter() - wall))
        self.cpu.append(1000 * (time.process_time() - cpu))

    def result(self) -> dict[str, list[float]]:
        """The samples after the warm-up."""
        return {"cpu": self.cpu[WARMUP:], "wall": self.wall[WARMUP:]}


async def _append_times(
    pilot: Pilot[None], store: Any, table: Any
) -> dict[str, list[float]]:
    """Appends pages one by one, the cursor on the last row as a reader's is."""
    ahead = list(pages(100 * (WARMUP + SAMPLES_PER_RUN), start=len(store)))
    watch = Stopwatch()
    for page in ahead:
        table.cursor_row = len(store) - 1
        await settle(pilot)
        watch.start()
        store.extend(page)
        table.rows_changed()
        await settle(pilot)
        watch.stop()
    return watch.result()


async def measure_append(rows: int, small: int, large_first: bool) -> dict[str, Any]:
    """Append cost with ``small`` and with ``rows`` tasks loaded."""
    store, table = _task_table()
    found: dict[str, Any] = {}
    async with TableApp(lambda: table).run_test(size=SIZE) as pilot:
        table.set_tail("more")
        for side, count in _sides(rows, small, large_first):
            await _load(pilot, store, table, count)
            found[side] = await _append_times(pilot, store, table)
    return found


def _sides(rows: int, small: int, large_first: bool) -> list[tuple[str, int]]:
    """Which size each side measures, in the order of this run."""
    sides = [("reference", small), ("ours", rows)]
    return sides[::-1] if large_first else sides


async def _key_times(
    pilot: Pilot[None], table: Any, first_row: int
) -> dict[str, list[float]]:
    """Presses cursor-down, each time until the repaint that shows it."""
    table.cursor_row = first_row
    await settle(pilot)
    watch = Stopwatch()
    for _ in range(WARMUP + SAMPLES_PER_RUN):
        before = table.cursor_row
        watch.start()
        pilot.app.post_message(events.Key("down", None))
        while table.cursor_row == before:
            await asyncio.sleep(0)
        await settle(pilot)
        watch.stop()
    return watch.result()


async def measure_keys(rows: int, small: int, large_first: bool) -> dict[str, Any]:
    """Key latency with ``small`` tasks loaded and with ``rows`` (mid-list)."""
    store, table = _task_table()
    found: dict[str, Any] = {}
    async with TableApp(lambda: table).run_test(size=SIZE) as pilot:
        table.set_tail("end")
        table.focus()
        for side, count in _sides(rows, small, large_first):
            await _load(pilot, store, table, count)
            # Past the first screenful, so every key scrolls in both cases.
            first = SIZE[1] if count == small else count // 2
            found[side] = await _key_times(pilot, table, first)
    return found


async def _grow(
    pilot: Pilot[None], rows: int, add: Callable[[list[Any]], object]
) -> dict[str, float]:
    gc.collect()
    await settle(pilot)
    base = rss_bytes()
    for number, page in enumerate(pages(rows), start=1):
        add(page)
        if number % 10 == 0:
            await settle(pilot)
    del page
    await settle(pilot)
    gc.collect()
    total_kib = (rss_bytes() - base) / 1024
    return {"total_kib": total_kib, "per_1000_kib": total_kib * 1000 / rows}


async def measure_memory(rows: int, widget: str) -> dict[str, Any]:
    """Resident memory growth while ``rows`` tasks load into one widget."""
    if widget == "datatable":
        stock: DataTable[str] = DataTable(id="tasks")
        async with TableApp(lambda: stock).run_test(size=SIZE) as pilot:
            stock.add_columns(*COLUMN_TITLES)
            return await _grow(pilot, rows, lambda p: stock.add_rows(map(plain_row, p)))
    store, table = _task_table()

    def add(page: list[Any]) -> None:
        store.extend(page)
        table.rows_changed()

    async with TableApp(lambda: table).run_test(size=SIZE) as pilot:
        table.set_tail("more")
        return await _grow(pilot, rows, add)


def main(argv: list[str] | None = None) -> None:
    """The child: measures one mode and prints its result as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.table_child")
    parser.add_argument("mode", choices=("append", "keys", "memory"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--datatable", action="store_true")
    parser.add_argument("--large-first", action="store_true")
    args = parser.parse_args(argv)
    if args.mode == "append":
        result = asyncio.run(measure_append(args.rows, args.small, args.large_first))
    elif args.mode == "keys":
        result = asyncio.run(measure_keys(args.rows, args.small, args.large_first))
    else:
        widget = "datatable" if args.datatable else "tasktable"
        result = asyncio.run(measure_memory(args.rows, widget))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
