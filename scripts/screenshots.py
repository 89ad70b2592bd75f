"""Regenerates the pictures in ``screenshots/`` from the demo emulator.

    python scripts/screenshots.py [--out screenshots]

Every picture comes out the same on every run: the emulator's clock is
frozen at a fixed moment, the app's clock too, times are shown in UTC, and
the request ids the emulator makes up at random are replaced by numbered
ones on their way to the app.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from swrgc_tui import connect
from swrgc_tui.api.client import SwrClient
from swrgc_tui.config import Settings
from swrgc_tui.credentials import Credentials
from swrgc_tui.emulator import EmulatorConfig, EmulatorServer
from swrgc_tui.state import UiState
from swrgc_tui.tui.app import SwrGcApp

NOW = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)
Scene = Callable[[Pilot[Any], EmulatorServer], Awaitable[None]]


class NumberedRequestIds(httpx.AsyncBaseTransport):
    """Passes requests on, numbering the request ids of the answers."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        self._count += 1
        response.headers["X-Request-Id"] = f"5eed{self._count:028x}"
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _open_client(
    settings: Settings, credentials: Credentials
) -> tuple[SwrClient, str]:
    assert settings.project_id is not None
    auth = credentials.auth(settings.project_id)
    client = SwrClient(
        settings.endpoint, settings.project_id, auth, transport=NumberedRequestIds()
    )
    return client, settings.project_id


async def _until(pilot: Pilot[Any], condition: Callable[[], object]) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in 20 s")
        await pilot.pause(0.05)


async def _main_screen(pilot: Pilot[Any]) -> Any:
    app = pilot.app
    await _until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    screen = app.screen
    # Two pages: the table asks for the second as soon as the first is shown.
    await _until(pilot, lambda: len(screen.store) >= 200 and not screen.listing.loading)
    return screen


async def main_scene(pilot: Pilot[Any], emu: EmulatorServer) -> None:
    """The task list with the running GC highlighted."""
    await _main_screen(pilot)
    await pilot.press("j")


async def detail_scene(pilot: Pilot[Any], emu: EmulatorServer) -> None:
    """A finished dry run's detail at 80x24, below the table."""
    screen = await _main_screen(pilot)
    tasks = [screen.store.task(i) for i in range(len(screen.store))]
    screen.table.cursor_row = next(
        i
        for i, task in enumerate(tasks)
        if task.job_parameters and task.job_parameters.dry_run and not task.is_active
    )


async def picker_scene(pilot: Pilot[Any], emu: EmulatorServer) -> None:
    """The instance picker."""
    app = pilot.app
    await _until(pilot, lambda: type(app.screen).__name__ == "InstancesScreen")
    await _until(pilot, lambda: app.screen.query(Input) and app.screen.instances)
    app.screen.query_one(Input).cursor_blink = False


async def error_scene(pilot: Pilot[Any], emu: EmulatorServer) -> None:
    """A page that failed after the first ones loaded: the rows stay."""
    screen = await _main_screen(pilot)
    emu.faults.fail_next = [500] * 4  # every try of the client's retries
    await pilot.press("G")  # the next page is asked for as the cursor lands
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmScreen")
    await pilot.press("n")  # not now: the offer to load everything
    await _until(pilot, lambda: screen.listing.error is not None)


SCENES: dict[str, tuple[Scene, tuple[int, int], bool]] = {
    "main": (main_scene, (120, 32), True),
    "detail": (detail_scene, (80, 24), True),
    "picker": (picker_scene, (100, 20), False),
    "error": (error_scene, (100, 26), True),
}


async def shoot(name: str, out: Path) -> Path:
    """Runs one scene against a fresh frozen emulator and saves its SVG."""
    scene, size, open_main = SCENES[name]
    config = EmulatorConfig(seed=7, tasks=400, clock_speed=0, start=NOW)
    with EmulatorServer(config, host="127.0.0.1", port=0) as emu:
        settings = Settings(
            endpoint=emu.endpoint,
            iam_endpoint=emu.endpoint,
            project_id=emu.project_id,
            region=emu.region,
            refresh=0.0,
            instance=emu.main_instance_id if open_main else None,
            demo=True,
        )
        credentials = Credentials(
            kind="aksk", source="the built-in demo emulator", ak=emu.ak, sk=emu.sk
        )
        app = SwrGcApp(
            settings, credentials, state=UiState(), demo=emu, clock=lambda: NOW
        )
        async with app.run_test(size=size) as pilot:
            await scene(pilot, emu)
            await pilot.pause(0.3)
            return Path(app.save_screenshot(f"{name}.svg", str(out)))


def main() -> None:
    """Writes every picture, or the ones named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "screenshots"
    )
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(SCENES)}")
    args = parser.parse_args()
    unknown = set(args.names) - set(SCENES)
    if unknown:
        parser.error(f"no such picture: {', '.join(sorted(unknown))}")
    logging.disable(logging.WARNING)  # the failures staged here are expected
    os.environ["TZ"] = "UTC"
    time.tzset()
    connect.open_client = _open_client  # type: ignore[assignment]
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or SCENES:
        print(asyncio.run(shoot(name, args.out)))


if __name__ == "__main__":
    main()
