"""Helpers for driving the whole app against the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot

from swrgc_tui.config import Settings
from swrgc_tui.credentials import Credentials
from swrgc_tui.state import UiState

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer
    from swrgc_tui.tui.app import SwrGcApp
    from swrgc_tui.tui.screens.instances import InstancesScreen
    from swrgc_tui.tui.screens.main import MainScreen


def settings_for(emu: EmulatorServer, **overrides: Any) -> Settings:
    """Settings that reach the emulator; no live refresh unless asked for."""
    base: dict[str, Any] = {
        "endpoint": emu.endpoint,
        "iam_endpoint": emu.endpoint,
        "project_id": emu.project_id,
        "region": emu.region,
        "refresh": 0.0,
    }
    return Settings(**{**base, **overrides})


def credentials_for(emu: EmulatorServer, *, sk: str | None = None) -> Credentials:
    """The emulator's demo AK/SK (or a wrong SK)."""
    return Credentials(
        kind="aksk",
        source="environment HUAWEICLOUD_SDK_AK/SK",
        ak=emu.ak,
        sk=sk or emu.sk,
    )


def make_app(
    emu: EmulatorServer,
    *,
    state: UiState | None = None,
    credentials: Credentials | None | str = "demo",
    clock: Callable[[], datetime] | None = None,
    **settings: Any,
) -> SwrGcApp:
    """The app pointed at the emulator."""
    from swrgc_tui.tui.app import SwrGcApp

    chosen = credentials_for(emu) if credentials == "demo" else credentials
    assert not isinstance(chosen, str)
    return SwrGcApp(
        settings_for(emu, **settings), chosen, state=state or UiState(), clock=clock
    )


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = 5.0
) -> None:
    """Lets the app run until ``condition()`` holds; fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def main_screen(app: SwrGcApp) -> MainScreen:
    """The main screen, which must be the active one."""
    from swrgc_tui.tui.screens.main import MainScreen

    screen = app.screen
    assert isinstance(screen, MainScreen), type(screen).__name__
    return screen


async def open_main(pilot: Pilot[Any], *, rows: int = 1) -> MainScreen:
    """Waits for the main screen to show at least ``rows`` tasks."""
    from swrgc_tui.tui.screens.main import MainScreen

    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "main screen")
    screen = main_screen(app)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: len(screen.store) >= rows, f"{rows} rows")
    await settle(pilot, screen)
    return screen


async def settle(pilot: Pilot[Any], screen: MainScreen) -> None:
    """Waits until no page is in flight, nor asked for right after the last."""
    for _ in range(2):  # the table may ask for the next page as one arrives
        await wait_until(pilot, lambda: not screen.listing.loading, "pages in flight")
        await pilot.pause(0.05)
    await wait_until(pilot, lambda: not screen.listing.loading, "pages in flight")


async def open_picker(pilot: Pilot[Any]) -> InstancesScreen:
    """Waits for the instance picker, built and with its instances listed."""
    from swrgc_tui.tui.screens.instances import InstancesScreen

    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, InstancesScreen) and bool(
            screen.query("#instances-table") and screen.instances is not None
        )

    await wait_until(pilot, ready, "the instance picker")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, InstancesScreen)
    return screen


def screen_lines(screen: Any) -> list[str]:
    """What the terminal shows, line by line, as plain text."""
    app = screen.app
    return [
        "".join(segment.text for segment in line)
        for line in app.screen._compositor.render_update(full=True).strips
    ]


def table_lines(screen: MainScreen) -> list[str]:
    """The table's visible lines (header, rows, tail) as plain text."""
    table = screen.table
    return [table.render_line(y).text for y in range(table.size.height)]
