"""Fixtures of the command-line tests: a clean home and environment for each."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from swrgc_tui.logs import stop_logging

#: Variables a developer's shell may hold that would change what a test sees.
_PREFIXES = ("HUAWEICLOUD_SDK_", "CLOUD_SDK_", "SWRGC_", "XDG_")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary HOME with its own XDG dirs, and no credentials around.

    Yields:
        The temporary home directory.
    """
    for name in list(os.environ):
        if name.startswith(_PREFIXES):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for kind in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{kind}_HOME", str(home / kind.lower()))
    yield home
    stop_logging()
