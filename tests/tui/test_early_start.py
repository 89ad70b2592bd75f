"""Starting with the first page asked for before the TUI had loaded."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from swrgc_tui import collector
from swrgc_tui.api.errors import TransportError
from swrgc_tui.api.tasks import GcTaskPage
from swrgc_tui.connect import ask_first_page_early
from swrgc_tui.state import UiState
from swrgc_tui.tui.app import SwrGcApp
from swrgc_tui.tui.pending import PendingClient

from .helpers import (
    credentials_for,
    make_app,
    open_main,
    settings_for,
    table_lines,
    wait_until,
)

if TYPE_CHECKING:
    from swrgc_tui.api.client import SwrClient
    from swrgc_tui.emulator import EmulatorServer


def gc_lists(emu: EmulatorServer, since: int) -> list[dict[str, str]]:
    return [query for _, path, query in emu.request_log[since:] if path.endswith("/gc")]


async def test_the_first_rows_are_the_early_page_and_it_is_not_asked_again(
    emulator: EmulatorServer,
) -> None:
    settings = settings_for(emulator, instance=emulator.main_instance_id)
    credentials = credentials_for(emulator)
    state = UiState(status_filter="Success")
    early = ask_first_page_early(settings, credentials, state)
    assert early is not None
    page = await early.page()
    assert page is not None
    since = len(emulator.request_log)

    app = SwrGcApp(settings, credentials, state=state, early_page=early)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_main(pilot, rows=100)
        shown = [screen.store.task_id(i) for i in range(100)]
        first_line = table_lines(screen)[1]

    assert shown == [task.id for task in page[0]]
    assert str(page[0][0].id) in first_line and "Success" in first_line
    # The client went on from the early page's marker, never back to its start.
    assert all("marker" in query for query in gc_lists(emulator, since))


async def test_a_failed_early_page_leaves_the_client_to_ask_and_report(
    emulator: EmulatorServer,
) -> None:
    settings = settings_for(emulator, instance=emulator.main_instance_id)
    credentials = credentials_for(emulator)
    wrong = dataclasses.replace(credentials, sk="not-the-key")
    early = ask_first_page_early(settings, wrong, UiState())
    assert early is not None and await early.page() is None

    app = SwrGcApp(settings, credentials, state=UiState(), early_page=early)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_main(pilot, rows=100)

    assert len(screen.store) >= 100


def test_it_is_asked_for_only_when_the_listing_is_known(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    credentials = credentials_for(emu)
    remembered = UiState(profile="default", instance=emu.main_instance_id)

    assert ask_first_page_early(settings_for(emu), credentials, remembered)
    assert not ask_first_page_early(settings_for(emu), credentials, UiState())
    other_profile = dataclasses.replace(remembered, profile="prod")
    assert not ask_first_page_early(settings_for(emu), credentials, other_profile)
    no_project = settings_for(emu, project_id=None, instance="i")
    assert not ask_first_page_early(no_project, credentials, remembered)
    assert not ask_first_page_early(
        settings_for(emu, demo=True), credentials, remembered
    )
    assert not ask_first_page_early(settings_for(emu), None, remembered)


async def test_the_client_opens_after_the_first_rows_and_then_names_the_instance(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(emulator, instance=emulator.main_instance_id)
    credentials = credentials_for(emulator)
    early = ask_first_page_early(settings, credentials, UiState())
    app = SwrGcApp(settings, credentials, state=UiState(), early_page=early)
    rows_when_opened: list[int] = []
    open_client = app._open_client

    async def watched() -> SwrClient:
        rows_when_opened.append(len(getattr(app.screen, "store", ())))
        return await open_client()

    monkeypatch.setattr(app, "_open_client", watched)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_main(pilot, rows=100)
        await wait_until(pilot, lambda: "swr-prod" in app.sub_title, "the name")

    assert rows_when_opened == [100]
    assert app.client is None  # closed on the way out


async def test_calls_wait_for_one_opening_and_a_failed_one_is_tried_again() -> None:
    opened: list[str] = []
    outcomes = iter([TransportError("down"), None])

    async def opener() -> SwrClient:
        opened.append("open")
        await asyncio.sleep(0.01)
        failure = next(outcomes)
        if failure is not None:
            raise failure
        return FakeLister()  # type: ignore[return-value]

    pending = PendingClient(opener)
    first = await asyncio.gather(
        pending.list_gc_tasks("i"), pending.show_instance("i"), return_exceptions=True
    )
    assert [type(result) for result in first] == [TransportError, TransportError]
    page = await pending.list_gc_tasks("i", limit=5)

    assert opened == ["open", "open"]
    assert page.next_marker == "after-5"


class FakeLister:
    async def list_gc_tasks(self, instance_id: str, **options: Any) -> GcTaskPage:
        return GcTaskPage(tasks=[], next_marker=f"after-{options['limit']}")


async def test_collections_resume_once_the_first_rows_are_drawn(
    emulator_session: EmulatorServer,
) -> None:
    collector.pause()
    try:
        app = make_app(emulator_session, instance=emulator_session.main_instance_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_main(pilot)
            await pilot.pause()
            assert gc.isenabled()
    finally:
        collector.resume()


def test_the_tui_loads_neither_the_http_stack_nor_pydantic_to_start() -> None:
    code = (
        "import sys; import swrgc_tui.cli, swrgc_tui.tui.app;"
        "print(sorted({'httpx', 'pydantic'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
