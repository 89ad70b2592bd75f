"""Fixtures of the emulator's own tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from swrgc_tui.emulator import EmulatorServer

from .helpers import Api


@pytest.fixture
def api(emulator_session: EmulatorServer) -> Iterator[Api]:
    """A token client of the shared, read-only emulator."""
    client = Api(emulator_session)
    yield client
    client.close()


@pytest.fixture
def frozen(make_emulator: Callable[..., EmulatorServer]) -> Iterator[Api]:
    """A client of a fresh emulator whose clock moves only when advanced."""
    client = Api(make_emulator(clock_speed=0.0))
    yield client
    client.close()
