"""When each phase of the TUI's start happens, to see where the first row waits.

``python -m bench.timeline [--runs N]`` starts ``swrgc-tui`` against a fresh
emulator in a pseudo-terminal, as the first-row figure does, but through
this module, which notes the time (from process start) at which imports
finish, the app mounts, the client opens, the first page is asked for and
answered, and the first frame with rows is handed to the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_LOG_VAR = "SWRGC_BENCH_TIMELINE"


def _process_age() -> float:
    """Seconds since the kernel started this process."""
    with open("/proc/self/stat") as stat:
        start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as uptime:
        now = float(uptime.read().split()[0])
    return now - start_ticks / os.sysconf("SC_CLK_TCK")


class _Marks:
    def __init__(self, path: str) -> None:
        self._base = time.perf_counter() - _process_age()
        self._out = open(path, "w")  # open for the whole run, closed at exit

    def __call__(self, what: str) -> None:
        self._out.write(
            f"{1000 * (time.perf_counter() - self._base):7.0f} ms  {what}\n"
        )
        self._out.flush()


def _wrap_async(owner: Any, name: str, before: str, after: str, mark: _Marks) -> None:
    original = getattr(owner, name)

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        mark(before)
        result = await original(*args, **kwargs)
        mark(after)
        return result

    setattr(owner, name, wrapper)


def _watch_frames(app: Any, mark: _Marks) -> None:
    show: Callable[[Any, Any], None] = app._display

    def display(screen: Any, renderable: Any) -> None:
        show(screen, renderable)
        if len(getattr(app.screen, "store", ())):
            mark("first frame with rows handed to the terminal")
            app._display = show

    app._display = display


def _instrumented_main(argv: list[str]) -> int:
    mark = _Marks(os.environ[_LOG_VAR])
    mark("interpreter ready")
    from swrgc_tui import cli

    mark("swrgc_tui.cli imported")
    import textual.app  # noqa: F401 - timed on its own

    mark("textual.app imported")
    from swrgc_tui import connect
    from swrgc_tui.api.client import SwrClient
    from swrgc_tui.tui.app import SwrGcApp

    mark("swrgc_tui.tui.app imported")
    mount = SwrGcApp.on_mount

    def on_mount(app: Any) -> None:
        mark("app mounted")
        _watch_frames(app, mark)
        mount(app)

    SwrGcApp.on_mount = on_mount  # type: ignore[method-assign, assignment]
    _wrap_async(connect, "open_client", "client opening", "client open", mark)
    _wrap_async(SwrClient, "list_gc_tasks", "page requested", "page answered", mark)
    return cli.main(argv)


def _show_runs(runs: int) -> None:
    from bench.emuproc import EmulatorProcess
    from bench.fig_process import credentials, first_task_pattern
    from bench.procs import clean_env, compile_package, scratch_home, time_to_screen

    compile_package()
    with EmulatorProcess(tasks=20_000) as info, scratch_home() as home:
        log = home / "timeline.txt"
        target = ["--endpoint", info.endpoint, "--instance", info.main_instance_id]
        argv = [sys.executable, "-m", "bench.timeline", "--run", "--", *target]
        for number in range(runs):
            env = clean_env(home, {**credentials(info), _LOG_VAR: str(log)})
            screen = time_to_screen(argv, env, first_task_pattern(info))
            print(
                f"run {number + 1}: first row read from the terminal at "
                f"{1000 * screen.seconds:.0f} ms after spawning"
            )
            print(Path(log).read_text())


def main(argv: list[str] | None = None) -> int:
    """Shows timelines, or (``--run``) is the instrumented program itself."""
    parser = argparse.ArgumentParser(prog="python -m bench.timeline")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        return _instrumented_main(args.rest)
    _show_runs(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
