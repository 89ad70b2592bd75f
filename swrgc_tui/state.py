"""What the TUI remembers between runs: the last profile, instance and view.

The state file is a convenience, never a reason to fail: a missing, corrupt or
unwritable file means starting from defaults, with a line in the log.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from swrgc_tui import paths

log = logging.getLogger(__name__)

#: How times are shown: relative to now, local wall-clock time, or UTC.
TimeMode = Literal["relative", "local", "utc"]
TIME_MODES: tuple[str, ...] = ("relative", "local", "utc")


@dataclass
class UiState:
    """The choices restored on the next start."""

    profile: str | None = None
    """Profile in use when the app last closed."""
    instance: str | None = None
    """Instance id last opened."""
    status_filter: str | None = None
    """Status filter of the task list; None shows every status."""
    time_mode: TimeMode = "relative"
    """How times are shown."""
    show_detail: bool = True
    """Whether the detail pane is open."""
    raw_json: bool = False
    """Whether the detail pane shows the raw JSON of the task."""


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _bool(value: object) -> bool:
    return isinstance(value, bool)


def _time_mode(value: object) -> bool:
    return isinstance(value, str) and value in TIME_MODES


#: What each remembered value must be; anything else falls back to its default.
_CHECKS: dict[str, Callable[[object], bool]] = {
    "profile": _optional_text,
    "instance": _optional_text,
    "status_filter": _optional_text,
    "time_mode": _time_mode,
    "show_detail": _bool,
    "raw_json": _bool,
}


def load_state(path: Path | None = None) -> UiState:
    """The remembered state, or the defaults when there is none to read."""
    target = path or paths.state_file()
    try:
        data = json.loads(target.read_bytes())
    except FileNotFoundError:
        return UiState()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable state file %s: %s", target, exc)
        return UiState()
    return _lenient(data if isinstance(data, dict) else {}, target)


def _lenient(data: dict[str, object], target: Path) -> UiState:
    """Keeps each known value that is still valid; unknown keys are ignored."""
    kept: dict[str, Any] = {}
    bad: list[str] = []
    for key, check in _CHECKS.items():
        if key not in data:
            continue
        if check(data[key]):
            kept[key] = data[key]
        else:
            bad.append(key)
    if bad:
        log.warning("state file %s: dropped invalid %s", target, ", ".join(sorted(bad)))
    return UiState(**kept)


def save_state(state: UiState, path: Path | None = None) -> None:
    """Writes the state atomically: a crash mid-write leaves the old file whole."""
    target = path or paths.state_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".state-", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                # Not ASCII-escaped, as the file has always been written.
                stream.write(json.dumps(asdict(state), indent=2, ensure_ascii=False))
            os.replace(temp, target)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        log.warning("could not save state to %s: %s", target, exc)
