"""Figures of the real app against a slow emulator: stalls and filter switches.

Each run is a fresh child process (``python -m bench.fig_app MODE``) that
builds :class:`SwrGcApp` the way ``swrgc-tui`` does (options, environment,
AK/SK from the environment, a throwaway home) and drives it headless at
120x40 with key events, as a terminal would deliver them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.fig_process import credentials
from bench.harness import Context, say
from bench.procs import run_child
from bench.results import Figure, Goal

SIZE = (120, 40)
OPEN_TIMEOUT = 60.0
#: Filters to switch between, by key: Success, Error, Stopped, All. Running and
#: Pending hold a task or none, so "the first row" may never come for them.
SWITCH_KEYS = (("1", "Success"), ("5", "Error"), ("4", "Stopped"), ("0", None))


def _build_app(endpoint: str, instance_id: str) -> Any:
    from swrgc_tui.cli import build_parser
    from swrgc_tui.config import resolve_settings
    from swrgc_tui.credentials import load_credentials
    from swrgc_tui.state import load_state
    from swrgc_tui.tui.app import SwrGcApp

    args = build_parser().parse_args(
        ["--endpoint", endpoint, "--instance", instance_id]
    )
    settings = resolve_settings(args, os.environ)
    found = load_credentials(settings, os.environ)
    return SwrGcApp(settings, found, state=load_state())


async def _wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def _main_screen(app: Any) -> Any:
    """Waits for the main screen to show its first rows; returns it."""
    from swrgc_tui.tui.screens.main import MainScreen

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, MainScreen) and len(screen.store) > 0

    await _wait_until(ready, OPEN_TIMEOUT, "the first page of tasks")
    return app.screen


class _Stalls:
    """Counts cursor-down presses that met the last loaded row while more exist.

    Wraps the table's own action, so a press is judged when the app handles
    it, not when it was sent.
    """

    def __init__(self, screen: Any) -> None:
        self.table, self.store, self.listing = (
            screen.table,
            screen.store,
            screen.listing,
        )
        self.count = 0
        self.longest = 0.0
        self.handled = 0
        self._since: float | None = None
        self._move = self.table.action_cursor_down
        self.table.action_cursor_down = self._pressed

    def _pressed(self) -> None:
        self.handled += 1
        now = time.perf_counter()
        if self.table.cursor_row >= len(self.store) - 1 and self.listing.more:
            if self._since is None:
                self._since, self.count = now, self.count + 1
        elif self._since is not None:
            self.longest = max(self.longest, now - self._since)
            self._since = None
        self._move()


async def measure_stalls(
    endpoint: str, instance_id: str, rows: int, rate: float
) -> dict[str, Any]:
    """Holds cursor-down at ``rate`` keys/s until the cursor reaches ``rows``."""
    from textual import events

    app = _build_app(endpoint, instance_id)
    async with app.run_test(size=SIZE):
        screen = await _main_screen(app)
        stalls = _Stalls(screen)
        started = next_press = time.perf_counter()
        sent, most_behind = 0, 0
        while screen.table.cursor_row < rows - 1:
            app.post_message(events.Key("down", None))
            sent += 1
            most_behind = max(most_behind, sent - stalls.handled)
            next_press += 1 / rate
            await asyncio.sleep(max(0.0, next_press - time.perf_counter()))
            if time.perf_counter() - started > 3 * rows / rate + 60:
                raise RuntimeError(f"the cursor stuck at row {screen.table.cursor_row}")
        elapsed = time.perf_counter() - started
        # Leave only once every key was handled: Textual fails on keys that
        # arrive while the app shuts down.
        await _wait_until(lambda: stalls.handled >= sent, 30, "the queued keys")
    return {
        "stalls": stalls.count,
        "longest_wait_ms": 1000 * stalls.longest,
        "keys": sent,
        "seconds": elapsed,
        "keys_per_second": sent / elapsed,
        "most_keys_queued": most_behind,
    }


class _FrameWatch:
    """Notes when the app paints a frame in which a condition holds.

    Textual hands every frame to ``App._display``, also when headless; the
    wrapper checks the condition right after each one.
    """

    def __init__(self, app: Any) -> None:
        self._show = app._display
        self._check: Callable[[], bool] | None = None
        self._seen: asyncio.Future[tuple[float, float]] | None = None
        app._display = self._display

    def _display(self, screen: Any, renderable: Any) -> None:
        self._show(screen, renderable)
        if self._check is not None and self._seen is not None and self._check():
            if not self._seen.done():
                self._seen.set_result((time.perf_counter(), time.process_time()))

    async def wait(
        self, check: Callable[[], bool], timeout: float
    ) -> tuple[float, float]:
        """Wall and CPU time of the first frame from now on in which ``check`` holds."""
        self._check, self._seen = check, asyncio.get_running_loop().create_future()
        try:
            return await asyncio.wait_for(self._seen, timeout)
        finally:
            self._check = self._seen = None


def _shows(screen: Any, status: str | None) -> Callable[[], bool]:
    def check() -> bool:
        store = screen.store
        if screen.listing.status != status or not len(store):
            return False
        return status is None or store.status(0) == status

    return check


async def measure_switches(
    endpoint: str, instance_id: str, switches: int
) -> dict[str, Any]:
    """Milliseconds from a filter key to the frame with that filter's first row."""
    from textual import events

    app = _build_app(endpoint, instance_id)
    wall, cpu = [], []
    async with app.run_test(size=SIZE):
        screen = await _main_screen(app)
        frames = _FrameWatch(app)
        for number in range(switches + 1):
            key, status = SWITCH_KEYS[number % len(SWITCH_KEYS)]
            await asyncio.sleep(0.5)  # the previous listing is quiet
            begin, begin_cpu = time.perf_counter(), time.process_time()
            app.post_message(events.Key(key, key))
            shown, shown_cpu = await frames.wait(_shows(screen, status), timeout=30)
            wall.append(1000 * (shown - begin))
            cpu.append(1000 * (shown_cpu - begin_cpu))
    # The first switch pays for code and styles used for the first time.
    return {"ms": wall[1:], "cpu_ms": cpu[1:]}


def _target(ctx: Context, latency_ms: float) -> tuple[list[str], dict[str, str]]:
    """The child's options and environment for an emulator at ``latency_ms``."""
    info = ctx.emulator(ctx.options.sizes.listing_tasks, latency_ms)
    options = [f"--endpoint={info.endpoint}", f"--instance={info.main_instance_id}"]
    return options, credentials(info)


def stalls(ctx: Context) -> Figure:
    """Stalls while the cursor runs through ``stall_tasks`` at 30 rows/s."""
    sizes = ctx.options.sizes
    target, env = _target(ctx, sizes.stall_latency_ms)
    runs = []
    for round_ in range(ctx.options.repeat):
        runs.append(
            run_child(
                "bench.fig_app",
                "stalls",
                *target,
                f"--rows={sizes.stall_tasks}",
                f"--rate={sizes.stall_rate}",
                env=env,
            )
        )
        say(
            f"  stalls {round_ + 1}/{ctx.options.repeat}: {runs[-1]['stalls']} "
            f"(longest {runs[-1]['longest_wait_ms']:.0f} ms, "
            f"{runs[-1]['keys_per_second']:.1f} keys/s)"
        )
    longest = max(run["longest_wait_ms"] for run in runs)
    return Figure(
        key="stalls",
        title=f"stalls ({sizes.stall_tasks:,} tasks, {sizes.stall_rate:g} rows/s)",
        unit="stalls",
        goal=Goal("absolute", 0, "stalls"),
        ours=[float(run["stalls"]) for run in runs],
        detail=f"longest wait {longest:.0f} ms",
        extra={"runs": runs},
        notes=[
            f"emulator at {sizes.stall_latency_ms:g} ms per request; a stall is a "
            "down key handled on the last loaded row while the server has more"
        ],
    )


def filter_switch(ctx: Context) -> Figure:
    """Filter key to the first row of the new filter, minus the emulator's latency."""
    sizes = ctx.options.sizes
    target, env = _target(ctx, sizes.filter_latency_ms)
    raw: list[float] = []
    cpu: list[float] = []
    for round_ in range(ctx.options.repeat):
        switches = f"--switches={sizes.filter_switches}"
        result = run_child("bench.fig_app", "filter", *target, switches, env=env)
        raw.append(statistics.median(result["ms"]))
        cpu.append(statistics.median(result["cpu_ms"]))
        say(
            f"  filter switch {round_ + 1}/{ctx.options.repeat}: {raw[-1]:.1f} ms "
            f"({cpu[-1]:.1f} ms of CPU in the app)"
        )
    return Figure(
        key="filter-switch",
        title="filter switch",
        unit="ms",
        goal=Goal("absolute", 50, "ms"),
        ours=[value - sizes.filter_latency_ms for value in raw],
        detail=f"app CPU {statistics.median(cpu):.0f} ms",
        extra={"raw_ms": raw, "app_cpu_ms": cpu},
        notes=[
            "wall time from the key to the first frame showing the new filter's "
            f"rows, minus the emulator's {sizes.filter_latency_ms:g} ms; median "
            f"of {sizes.filter_switches} switches per run; app_cpu_ms is the "
            "app process's CPU time over the same span"
        ],
    )


def main(argv: list[str] | None = None) -> None:
    """The child: measures one mode and prints its result as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.fig_app")
    parser.add_argument("mode", choices=("stalls", "filter"))
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--switches", type=int, default=6)
    args = parser.parse_args(argv)
    if args.mode == "stalls":
        job = measure_stalls(args.endpoint, args.instance, args.rows, args.rate)
    else:
        job = measure_switches(args.endpoint, args.instance, args.switches)
    sys.stdout.write(json.dumps(asyncio.run(job)) + "\n")


if __name__ == "__main__":
    main()
