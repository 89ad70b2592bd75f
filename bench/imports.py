"""Checks that each way of starting swrgc-tui imports only what it needs.

The headless commands and ``--help`` must not load Textual or the emulator's
server stack; the TUI must not load the emulator unless ``--demo`` asks for
it. Python's ``-X importtime`` report (``PYTHONPROFILEIMPORTTIME``) names
every module a process imported, including ones imported late.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bench.emuproc import EmulatorInfo
from bench.fig_process import credentials, first_task_pattern
from bench.procs import SWRGC_TUI, clean_env, run_timed, scratch_home, time_to_screen

_IMPORT_LINE = re.compile(r"import time:\s+\d+\s+\|\s+\d+\s+\|\s+(\S+)")
SERVER_STACK = ("uvicorn", "starlette", "swrgc_tui.emulator")
HEAVY = ("textual", *SERVER_STACK)


@dataclass
class ImportCheck:
    """One way of starting the program and what it must not import."""

    what: str
    forbidden: tuple[str, ...]
    found: list[str] = field(default_factory=list)
    modules: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.modules > 0 and not self.found

    def as_json(self) -> dict[str, Any]:
        """The check as a JSON-ready dict."""
        return {
            "what": self.what,
            "forbidden": list(self.forbidden),
            "found": self.found,
            "modules_imported": self.modules,
            "ok": self.ok,
            "error": self.error,
        }


def imported(report: str) -> set[str]:
    """Module names in an importtime report."""
    return set(_IMPORT_LINE.findall(report))


def _judge(check: ImportCheck, modules: set[str]) -> ImportCheck:
    check.modules = len(modules)
    check.found = sorted(
        name
        for name in modules
        if any(name == bad or name.startswith(bad + ".") for bad in check.forbidden)
    )[:8]
    return check


def _headless(what: str, args: list[str], info: EmulatorInfo) -> ImportCheck:
    check = ImportCheck(what, HEAVY)
    with scratch_home() as home:
        env = clean_env(home, {**credentials(info), "PYTHONPROFILEIMPORTTIME": "1"})
        finished = run_timed([SWRGC_TUI, *args], env, timeout=120)
    if finished.returncode != 0:
        said = [
            line for line in finished.stderr.splitlines() if "import time:" not in line
        ]
        check.error = f"exit {finished.returncode}: " + (said[-1] if said else "")
    return _judge(check, imported(finished.stderr))


def _tui(info: EmulatorInfo) -> ImportCheck:
    check = ImportCheck("swrgc-tui (TUI, no --demo)", SERVER_STACK)
    argv = [SWRGC_TUI, "--endpoint", info.endpoint, "--instance", info.main_instance_id]
    with scratch_home() as home:
        env = clean_env(home, {**credentials(info), "PYTHONPROFILEIMPORTTIME": "1"})
        try:
            # Some seconds more catch modules loaded once the rows are up.
            screen = time_to_screen(
                argv, env, first_task_pattern(info), timeout=90, linger=3.0
            )
        except RuntimeError as error:
            check.error = str(error)[:200]
            return check
    return _judge(check, imported(screen.raw))


def run_checks(info: EmulatorInfo) -> list[ImportCheck]:
    """Every check, against a running emulator."""
    target = ["--endpoint", info.endpoint, "--instance", info.main_instance_id]
    return [
        _headless("swrgc-tui --help", ["--help"], info),
        _headless("swrgc-tui tasks --help", ["tasks", "--help"], info),
        _headless(
            "swrgc-tui tasks --max 100",
            ["tasks", *target, "--max", "100", "--format", "jsonl"],
            info,
        ),
        _tui(info),
    ]


def render_checks(checks: list[ImportCheck]) -> str:
    """The checks as lines for the terminal."""
    lines = []
    for check in checks:
        verdict = "ok" if check.ok else "FAILED"
        why = check.error or (", ".join(check.found) if check.found else "")
        suffix = f": {why}" if why else f" ({check.modules} modules)"
        lines.append(f"imports of {check.what}: {verdict}{suffix}")
    return "\n".join(lines)
