"""When each phase of the TUI's start happens, to see where the first row waits.

``python -m bench.timeline [--runs N]`` starts ``swrgc-tui`` against a fresh
emulator in a pseudo-terminal, as the first-row figure does, but through
this module, which notes the time (from process start) at which imports
finish, the app mounts, the page fetched at start-up is taken, the client
opens, pages are asked for and answered, and the first frame with rows is
handed to the terminal.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
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
        # Noted before the write: the reader stops the program once it sees it.
        if len(getattr(app.screen, "store", ())):
            mark("first frame with rows handed to the terminal")
            app._display = show
        show(screen, renderable)

    app._display = display


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``hooks[name](module)`` once the module ``name`` has run.

    The program imports in its own order (the page fetched at start-up leaves
    before Textual is imported); importing ahead of it to time things would
    change what is measured.
    """

    def __init__(self, hooks: dict[str, Callable[[Any], None]]) -> None:
        self._hooks = hooks

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        hook = self._hooks.pop(name, None)
        if hook is None:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        loader = spec.loader if spec is not None else None
        if loader is None:
            return spec
        run = loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            hook(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _instrumented_main(argv: list[str]) -> int:
    mark = _Marks(os.environ[_LOG_VAR])
    mark("interpreter ready")

    def app_loaded(module: Any) -> None:
        mark("swrgc_tui.tui.app imported")
        app_class = module.SwrGcApp
        mount = app_class.on_mount

        def on_mount(app: Any) -> None:
            mark("app mounted")
            _watch_frames(app, mark)
            mount(app)

        app_class.on_mount = on_mount

    def early_loaded(module: Any) -> None:
        fetch = module._fetch

        def timed_fetch(request: Any) -> Any:
            mark("early page asked for (on its thread)")
            try:
                return fetch(request)
            finally:
                mark("early page answered (on its thread)")

        module._fetch = timed_fetch
        early = module.EarlyPage
        _wrap_async(early, "page", "early page awaited", "early page in hand", mark)

    def paging_loaded(module: Any) -> None:
        pager = module.TaskPager
        _wrap_async(pager, "_fetch", "page requested", "page answered", mark)

    def connect_loaded(module: Any) -> None:
        _wrap_async(module, "open_client", "client opening", "client open", mark)

    sys.meta_path.insert(
        0,
        _AfterImport(
            {
                "textual.app": lambda _: mark("textual.app imported"),
                "swrgc_tui.tui.app": app_loaded,
                "swrgc_tui.api.early": early_loaded,
                "swrgc_tui.api.paging": paging_loaded,
                "swrgc_tui.connect": connect_loaded,
            }
        ),
    )
    from swrgc_tui import cli

    mark("swrgc_tui.cli imported")
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
