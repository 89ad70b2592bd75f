"""Snapshots of the key screens, from a frozen emulator at a frozen time.

Update them with ``pytest tests/tui/test_snapshots.py --snapshot-update`` after
checking the new pictures in the report pytest-textual-snapshot writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.tui.screens.instances import InstancesScreen

from .fake_swr import FakeSwr, fake_app, instance, task
from .helpers import main_screen, make_app, settle, wait_until

NOW = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("tz_utc")


def _frozen(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return make_emulator(clock_speed=0, start=NOW)


def _clock() -> datetime:
    return NOW


async def _settled(pilot: Pilot[Any]) -> None:
    """Waits for the main screen with its first pages and nothing in flight."""
    app = pilot.app
    await wait_until(pilot, lambda: type(app.screen).__name__ == "MainScreen", "main")
    screen = main_screen(app)  # type: ignore[arg-type]
    # Two pages: the table asks for the second as soon as the first is shown.
    await wait_until(pilot, lambda: len(screen.store) >= 200, "two pages of rows")
    await settle(pilot, screen)
    await pilot.pause(0.1)


def test_main_screen_at_80x24(
    snap_compare: Any, make_emulator: Callable[..., EmulatorServer]
) -> None:
    emu = _frozen(make_emulator)
    app = make_app(emu, instance=emu.main_instance_id, clock=_clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_picker(
    snap_compare: Any, make_emulator: Callable[..., EmulatorServer]
) -> None:
    emu = _frozen(make_emulator)
    app = make_app(emu, clock=_clock)

    async def listed(pilot: Pilot[Any]) -> None:
        await wait_until(
            pilot, lambda: isinstance(app.screen, InstancesScreen), "picker"
        )
        picker = app.screen
        assert isinstance(picker, InstancesScreen)
        await wait_until(pilot, lambda: picker.query(Input), "the filter field")
        await wait_until(pilot, lambda: picker.instances is not None, "instances")
        picker.query_one(Input).cursor_blink = False
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(100, 24), run_before=listed)


def test_detail_of_a_dry_run(
    snap_compare: Any, make_emulator: Callable[..., EmulatorServer]
) -> None:
    emu = _frozen(make_emulator)
    app = make_app(emu, instance=emu.main_instance_id, clock=_clock)

    async def dry_run(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        screen = main_screen(app)
        store = screen.store
        index = next(
            i
            for i in range(len(store))
            if (params := store.task(i).job_parameters) and params.dry_run
        )
        screen.table.cursor_row = index
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(120, 32), run_before=dry_run)


def test_failed_page(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = [
        task(900 - i, job_status="Error" if i % 7 == 3 else "Success")
        for i in range(30)
    ]
    fake = FakeSwr([instance("i1", "swr-prod")], tasks, later_pages_fail=500)
    app = fake_app(monkeypatch, fake, clock=_clock, instance="i1", page_size=10)

    async def failed(pilot: Pilot[Any]) -> None:
        await wait_until(
            pilot, lambda: type(app.screen).__name__ == "MainScreen", "main"
        )
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.listing.error is not None, "the failure")
        await pilot.press("G")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(100, 24), run_before=failed)
