"""Where swrgc-tui keeps its files, following each platform's conventions.

On Linux that means the XDG directories: the config file under
``$XDG_CONFIG_HOME/swrgc-tui``, remembered UI state under
``$XDG_STATE_HOME/swrgc-tui`` and logs in a ``log`` folder beside it.
Nothing here creates a directory; the code that writes a file does.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "swrgc-tui"


def _dirs() -> PlatformDirs:
    # Built on each call so that a changed XDG_* variable (tests) is honoured.
    return PlatformDirs(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The directory that holds ``config.toml``."""
    return _dirs().user_config_path


def config_file() -> Path:
    """The profiles and settings file, ``config.toml``."""
    return config_dir() / "config.toml"


def state_file() -> Path:
    """The file that remembers the last profile, instance and view modes."""
    return _dirs().user_state_path / "state.json"


def log_dir() -> Path:
    """The directory of the rotating log files."""
    return _dirs().user_log_path


def log_file() -> Path:
    """The current log file; older ones sit beside it as ``.1``, ``.2``, ..."""
    return log_dir() / "swrgc-tui.log"


def unsafe_mode_problem(path: Path) -> str | None:
    """Why a file that holds secrets must not be used, or None when it is safe.

    Like ssh with a private key, a secret file that group or others may
    read or write is refused, and the message says how to fix it.
    """
    if os.name != "posix":
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (
        f"{path} holds secrets but its mode is {mode:04o}, open to other users; "
        f"refusing to use it. Fix it with: chmod 600 {path}"
    )
