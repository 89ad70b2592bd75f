"""What the TUI remembers between runs: the last profile, instance and view.

The state file is a convenience, never a reason to fail: a missing, corrupt or
unwritable file means starting from defaults, with a line in the log.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from swrgc_tui import paths

log = logging.getLogger(__name__)


class UiState(BaseModel):
    """The choices restored on the next start."""

    model_config = ConfigDict(extra="ignore")

    profile: str | None = None
    """Profile in use when the app last closed."""
    instance: str | None = None
    """Instance id last opened."""
    status_filter: str | None = None
    """Status filter of the task list; None shows every status."""
    time_mode: Literal["relative", "local", "utc"] = "relative"
    """How times are shown."""
    show_detail: bool = True
    """Whether the detail pane is open."""
    raw_json: bool = False
    """Whether the detail pane shows the raw JSON of the task."""


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
    """Validates the state, dropping each value that is no longer valid."""
    try:
        return UiState.model_validate(data)
    except ValidationError as exc:
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        log.warning("state file %s: dropped invalid %s", target, ", ".join(sorted(bad)))
        kept = {key: value for key, value in data.items() if key not in bad}
        try:
            return UiState.model_validate(kept)
        except ValidationError:
            return UiState()


def save_state(state: UiState, path: Path | None = None) -> None:
    """Writes the state atomically: a crash mid-write leaves the old file whole."""
    target = path or paths.state_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".state-", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(state.model_dump_json(indent=2))
            os.replace(temp, target)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        log.warning("could not save state to %s: %s", target, exc)
