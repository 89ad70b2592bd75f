"""Starting with the first page asked for before the TUI had loaded."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from swrgc_tui.connect import ask_first_page_early
from swrgc_tui.state import UiState
from swrgc_tui.tui.app import SwrGcApp

from .helpers import credentials_for, open_main, settings_for, table_lines

if TYPE_CHECKING:
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
