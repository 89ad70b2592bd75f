"""Isolation for the whole test session and the shared emulator fixtures.

The environment is fixed up at import time, before any test module imports
the official SDK (which writes ``~/.huaweicloud/application_id``) or reads
credentials: ``HOME`` and the XDG directories point into a temporary
directory, and credential variables from the developer's shell are dropped.

The emulator is imported lazily, inside the fixtures, so tests can still
check that a command does not import the server stack.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer

_HOME = tempfile.mkdtemp(prefix="swrgc-tests-home-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["HOME"] = _HOME
for _variable, _folder in (
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_STATE_HOME", ".local/state"),
    ("XDG_CACHE_HOME", ".cache"),
    ("XDG_DATA_HOME", ".local/share"),
):
    os.environ[_variable] = os.path.join(_HOME, _folder)
for _variable in list(os.environ):
    if _variable.startswith(("HUAWEICLOUD_SDK_", "CLOUD_SDK_", "SWRGC_")):
        del os.environ[_variable]

#: What every shared emulator is built from unless a test asks otherwise.
DEFAULT_CONFIG: dict[str, Any] = {"seed": 7, "tasks": 400}


def _start(**config: Any) -> EmulatorServer:
    from swrgc_tui.emulator import EmulatorConfig, EmulatorServer

    return EmulatorServer(EmulatorConfig(**{**DEFAULT_CONFIG, **config})).start()


@pytest.fixture(scope="session")
def _shared_emulator() -> Iterator[EmulatorServer]:
    emu = _start()
    yield emu
    emu.stop()


@pytest.fixture
def emulator_session(_shared_emulator: EmulatorServer) -> EmulatorServer:
    """One emulator for the whole session (seed 7, 400 tasks), for tests that
    only read. Its faults are switched off before each test that uses it."""
    _shared_emulator.faults.reset()
    return _shared_emulator


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """A fresh emulator (seed 7, 400 tasks) that this test may change."""
    emu = _start()
    yield emu
    emu.stop()


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., EmulatorServer]]:
    """Starts emulators with EmulatorConfig fields overridden, e.g.
    ``make_emulator(tasks=20_000, clock_speed=0)``; all stop after the test."""
    started: list[EmulatorServer] = []

    def make(**config: Any) -> EmulatorServer:
        emu = _start(**config)
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()
