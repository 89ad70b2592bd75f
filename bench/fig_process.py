"""Figures of whole programs: first row in a terminal, headless listings.

Each run starts a fresh process with a throwaway home directory and the
emulator's demo AK/SK in the environment (never on the command line).
"""

from __future__ import annotations

import re
import sys

from bench.emuproc import EmulatorInfo
from bench.floor_app import READY_TEXT
from bench.harness import Context, interleave
from bench.procs import (
    REPO_ROOT,
    SWRGC_TUI,
    clean_env,
    run_timed,
    scratch_home,
    time_to_screen,
)
from bench.results import Figure, Goal

TERMINAL_SIZE = (120, 40)


def credentials(info: EmulatorInfo) -> dict[str, str]:
    """The environment that hands the emulator's demo AK/SK to a program."""
    return {
        "HUAWEICLOUD_SDK_AK": info.ak,
        "HUAWEICLOUD_SDK_SK": info.sk,
        "HUAWEICLOUD_SDK_PROJECT_ID": info.project_id,
    }


def _target(info: EmulatorInfo) -> list[str]:
    return ["--endpoint", info.endpoint, "--instance", info.main_instance_id]


def first_task_pattern(info: EmulatorInfo) -> re.Pattern[str]:
    """Matches the newest task's id standing alone, as its table row shows it."""
    return re.compile(rf"(?<![\w.]){info.newest_task_id}(?![\w.])")


def _ms_to_screen(
    argv: list[str], info: EmulatorInfo, pattern: re.Pattern[str]
) -> float:
    with scratch_home() as home:
        env = clean_env(home, credentials(info))
        return 1000 * time_to_screen(argv, env, pattern, size=TERMINAL_SIZE).seconds


def first_row(ctx: Context) -> Figure:
    """Start of ``swrgc-tui`` to its first task row vs the floor app's line."""
    info = ctx.emulator(ctx.options.sizes.listing_tasks)
    ours_argv = [SWRGC_TUI, *_target(info)]
    floor_argv = [sys.executable, str(REPO_ROOT / "bench" / "floor_app.py")]
    # A start takes under a second and is the noisiest figure (a few
    # hundred milliseconds of CPU against a busy machine): three times the
    # runs steady its median.
    ours, floor = interleave(
        3 * ctx.options.repeat,
        lambda: _ms_to_screen(ours_argv, info, first_task_pattern(info)),
        lambda: _ms_to_screen(floor_argv, info, re.compile(READY_TEXT)),
        "first row (ms)",
    )
    return Figure(
        key="first-row",
        title="first row",
        unit="ms",
        goal=Goal("ratio", 1.3),
        reference_label="floor app",
        ours=ours,
        reference=floor,
        notes=[
            f"pseudo-terminal {TERMINAL_SIZE[0]}x{TERMINAL_SIZE[1]}, "
            "TERM=xterm-256color; from process start to the newest task's id "
            "on screen (ours) or the floor app's one line"
        ],
    )


def _ms_to_finish(argv: list[str], info: EmulatorInfo, lines: int, what: str) -> float:
    with scratch_home() as home:
        finished = run_timed(argv, clean_env(home, credentials(info)))
    return 1000 * finished.check(lines, what)


def _sdk_argv(script: str, info: EmulatorInfo) -> list[str]:
    path = REPO_ROOT / "bench" / script
    return [sys.executable, str(path), info.endpoint, info.main_instance_id]


def headless_first_page(ctx: Context) -> Figure:
    """``swrgc-tui tasks --max 100`` vs the official SDK's first page."""
    info = ctx.emulator(ctx.options.sizes.listing_tasks)
    ours_argv = [
        SWRGC_TUI,
        "tasks",
        *_target(info),
        "--max",
        "100",
        "--format",
        "jsonl",
    ]
    sdk_argv = _sdk_argv("sdk_first_page.py", info)
    ours, sdk = interleave(
        ctx.options.repeat,
        lambda: _ms_to_finish(ours_argv, info, 100, "swrgc-tui tasks --max 100"),
        lambda: _ms_to_finish(sdk_argv, info, 100, "sdk_first_page.py"),
        "headless first page (ms)",
    )
    return Figure(
        key="headless-first-page",
        title="headless first page",
        unit="ms",
        goal=Goal("ratio", 1.0),
        reference_label="official SDK",
        ours=ours,
        reference=sdk,
        notes=["process start to exit; 100 tasks printed as JSON lines by both"],
    )


def full_listing(ctx: Context) -> Figure:
    """Every task (page size 100) through ``swrgc-tui tasks`` vs the SDK."""
    total = ctx.options.sizes.listing_tasks
    info = ctx.emulator(total)
    ours_argv = [
        SWRGC_TUI, "tasks", *_target(info), "--page-size", "100", "--format", "jsonl"
    ]  # fmt: skip
    sdk_argv = _sdk_argv("sdk_full_listing.py", info)
    ours, sdk = interleave(
        ctx.options.repeat,
        lambda: _ms_to_finish(ours_argv, info, total, "swrgc-tui tasks"),
        lambda: _ms_to_finish(sdk_argv, info, total, "sdk_full_listing.py"),
        "full listing (ms)",
    )
    return Figure(
        key="full-listing",
        title=f"full listing ({total:,} tasks)",
        unit="ms",
        goal=Goal("ratio", 0.6),
        reference_label="official SDK",
        ours=ours,
        reference=sdk,
        notes=[f"{total:,} tasks in pages of 100, printed as JSON lines by both"],
    )
