"""The installed ``swrgc-tui --demo`` in a real terminal (tmux) at 80x24."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

EXECUTABLE = Path(sys.executable).with_name("swrgc-tui")
TASK_ROW = re.compile(r"^\s*▌?\s*(\d{3,}) ")


class Terminal:
    """A detached tmux server of our own, running one command at 80x24."""

    def __init__(self, socket: str, env: dict[str, str], exit_file: Path) -> None:
        self.socket, self.env, self.exit_file = socket, env, exit_file

    def tmux(self, *args: str) -> str:
        """Runs a tmux command against this server; returns what it printed."""
        command = ["tmux", "-L", self.socket, "-f", os.devnull, *args]
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=10
        )
        return done.stdout

    def screen(self) -> list[str]:
        """The lines on the terminal now."""
        return self.tmux("capture-pane", "-p", "-t", "main").splitlines()

    def keys(self, *keys: str) -> None:
        """Types keys (tmux names, e.g. ``Escape``)."""
        self.tmux("send-keys", "-t", "main", *keys)

    def wait_for(
        self, what: str, check: Callable[[list[str]], bool], timeout: float = 20.0
    ) -> list[str]:
        """Polls the screen until ``check`` accepts it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.screen()
            if check(lines):
                return lines
            time.sleep(0.1)
        shown = "\n".join(self.screen())
        raise AssertionError(f"timed out waiting for {what}; the screen:\n{shown}")

    def alive(self) -> bool:
        """True while the program runs (its session closes when it exits)."""
        return "main" in self.tmux("list-sessions", "-F", "#{session_name}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (CI installs it)")
    assert EXECUTABLE.exists(), f"swrgc-tui is not installed next to {sys.executable}"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SWRGC_", "HUAWEI"))
    }
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        TERM="xterm-256color",
    )
    env.pop("NO_COLOR", None)
    exit_file = tmp_path / "exit-code"
    term = Terminal(f"swrgc-e2e-{uuid.uuid4().hex[:8]}", env, exit_file)
    command = (
        f"env TERM=xterm-256color {shlex.quote(str(EXECUTABLE))} --demo; "
        f"echo $? > {shlex.quote(str(exit_file))}"
    )
    term.tmux("new-session", "-d", "-s", "main", "-x", "80", "-y", "24", command)
    try:
        yield term
    finally:
        term.tmux("kill-server")


def _rows(lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in lines if (m := TASK_ROW.match(line))]


def test_demo_browses_filters_helps_and_quits(terminal: Terminal) -> None:
    lines = terminal.wait_for("task rows", lambda screen: len(_rows(screen)) >= 5)
    assert "swrgc-tui" in lines[0] and "demo" in lines[0]
    assert "tasks loaded" in "\n".join(lines)
    first = _rows(lines)[0]
    assert f"Task {first}" in "\n".join(lines)

    terminal.keys("j")
    second = _rows(lines)[1]
    terminal.wait_for("the detail of row 2", lambda s: f"Task {second}" in "\n".join(s))

    terminal.keys("3")
    lines = terminal.wait_for(
        "the Pending filter", lambda s: "Pending tasks loaded" in "\n".join(s)
    )
    rows = [line for line in lines if TASK_ROW.match(line)]
    assert rows and all("Pending" in row for row in rows)

    terminal.keys("?")
    terminal.wait_for("the help", lambda s: "Everywhere" in "\n".join(s))
    terminal.keys("Escape")
    terminal.wait_for("the help to close", lambda s: "Everywhere" not in "\n".join(s))

    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive()
    assert terminal.exit_file.read_text().strip() == "0"
