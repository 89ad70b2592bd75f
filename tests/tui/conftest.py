"""Fixtures of the TUI tests."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def tz_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local times in UTC, so absolute times are the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
