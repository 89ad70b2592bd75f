"""The emulator's clock: real time times a speed, pushed ahead on demand."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from swrgc_tui.emulator import Clock

START = datetime(2024, 1, 20, 10, 0, tzinfo=UTC)


def test_frozen_clock_moves_only_when_advanced() -> None:
    clock = Clock(START, speed=0.0)
    time.sleep(0.01)
    assert clock.now() == START

    clock.advance(90.5)

    assert clock.time() == START.timestamp() + 90.5


def test_running_clock_follows_real_time_at_its_speed() -> None:
    clock = Clock(START, speed=1000.0)
    time.sleep(0.02)

    assert clock.time() - START.timestamp() >= 20


def test_changing_speed_never_makes_time_jump() -> None:
    clock = Clock(START, speed=1000.0)
    time.sleep(0.01)
    before = clock.time()

    clock.speed = 0.0
    frozen = clock.time()
    time.sleep(0.01)

    assert frozen >= before
    assert clock.time() == frozen


def test_time_never_goes_back() -> None:
    clock = Clock(START, speed=0.0)

    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.speed = -2.0
    assert clock.now() == START
