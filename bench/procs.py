"""Starting the programs under test: clean environments, timed runs, a pty."""

from __future__ import annotations

import codecs
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SWRGC_TUI = str(BIN / "swrgc-tui")

# Credentials and settings a developer's shell may hold; a run must see only
# the ones the benchmark gives it.
_FOREIGN_PREFIXES = ("HUAWEICLOUD_", "CLOUD_SDK_", "SWRGC_", "TEXTUAL", "NO_COLOR")

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, clipboard
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS and other strings
    r"|\x1b[@-Z\\-_=>]"  # two-byte escapes
)


def compile_package() -> None:
    """Writes the bytecode of swrgc-tui (and of the benchmark's own scripts).

    An installed package comes with its bytecode, as Textual's did when pip
    installed it. A checkout installed in editable mode writes it on first
    import, unless PYTHONDONTWRITEBYTECODE is set, when every start would
    compile every module again: a cost the floor app, made of Textual's
    precompiled modules, never pays. Measuring against that would be unfair
    to one side, so both start from bytecode.
    """
    import compileall

    for folder in ("swrgc_tui", "bench"):
        compileall.compile_dir(REPO_ROOT / folder, quiet=1)


@contextmanager
def scratch_home() -> Iterator[Path]:
    """A throwaway home directory, so no run reads or writes the real one."""
    with tempfile.TemporaryDirectory(prefix="swrgc-bench-") as name:
        yield Path(name)


def clean_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured program: this one, minus settings and
    credentials of the caller, with every platform directory inside ``home``.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_FOREIGN_PREFIXES)
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local/share"),
        TERM="xterm-256color",
        PYTHONPATH=str(REPO_ROOT),
    )
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class Finished:
    """A program that ran to its end: how long, what it printed, how it ended."""

    seconds: float
    returncode: int
    lines: int
    stderr: str

    def check(self, expected_lines: int, what: str) -> float:
        """Returns ``seconds`` if the run printed what it should, else raises."""
        if self.returncode != 0 or self.lines != expected_lines:
            raise RuntimeError(
                f"{what}: exit {self.returncode}, {self.lines} lines "
                f"(expected {expected_lines}): {self.stderr.strip()[-300:]}"
            )
        return self.seconds


def run_timed(
    argv: Sequence[str], env: Mapping[str, str], timeout: float = 300.0
) -> Finished:
    """Runs a program to its end, counting the lines it prints on stdout."""
    start = time.perf_counter()
    proc = subprocess.run(
        list(argv),
        env=dict(env),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - start
    return Finished(
        seconds=seconds,
        returncode=proc.returncode,
        lines=proc.stdout.count(b"\n"),
        stderr=proc.stderr.decode("utf-8", "replace"),
    )


def visible_text(raw: str) -> str:
    """What a terminal would print of ``raw``, without its escape sequences."""
    return _ESCAPES.sub("", raw)


def _open_terminal(columns: int, rows: int) -> tuple[int, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave


def _take_terminal() -> None:
    # Runs in the child after setsid: make the pty its controlling terminal,
    # as a login shell over SSH would have it.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass(frozen=True)
class Screen:
    """What a program had written to its terminal when the awaited text showed."""

    seconds: float
    raw: str


def time_to_screen(
    argv: Sequence[str],
    env: Mapping[str, str],
    pattern: re.Pattern[str],
    *,
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
    linger: float = 0.0,
) -> Screen:
    """Starts ``argv`` in a pseudo-terminal and waits for ``pattern`` on it.

    Everything the program writes is read as it comes (a full pty would stall
    it); escape sequences are stripped before matching. The program is killed
    ``linger`` seconds after the pattern shows, or after ``timeout`` with an
    error.

    Returns:
        Seconds from the start to the pattern, and the output up to the kill.
    """
    master, slave = _open_terminal(*size)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        env=dict(env),
        cwd=REPO_ROOT,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=_take_terminal,
    )
    os.close(slave)
    try:
        seen, raw = _wait_for(master, proc, pattern, start, timeout)
        if linger > 0:
            raw += _read_for(master, linger)
        return Screen(seconds=seen - start, raw=raw)
    finally:
        _kill_group(proc)
        os.close(master)


def _wait_for(
    master: int,
    proc: subprocess.Popen[bytes],
    pattern: re.Pattern[str],
    start: float,
    timeout: float,
) -> tuple[float, str]:
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    raw = ""
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        raw += decoder.decode(chunk)
        if pattern.search(visible_text(raw)):
            return time.perf_counter(), raw
    tail = visible_text(raw)[-400:].strip()
    raise RuntimeError(f"{pattern.pattern!r} never showed; screen ended with {tail!r}")


def _read_for(master: int, seconds: float) -> str:
    """What the program writes in the next ``seconds``."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    chunks = []
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                chunks.append(decoder.decode(os.read(master, 65536)))
            except OSError:
                break
    return "".join(chunks)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


def run_child(
    module: str, *args: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Runs ``python -m module args`` in a clean environment; returns its JSON.

    Args:
        module: the child's module.
        args: its command line.
        env: variables to add to the clean environment (credentials).
    """
    with scratch_home() as home:
        proc = subprocess.run(
            [sys.executable, "-m", module, *args],
            env=clean_env(home, env),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"]
        raise RuntimeError(f"python -m {module} {args[0]}: {lines[-1]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result
