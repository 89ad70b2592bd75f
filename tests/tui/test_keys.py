"""Keys: quitting while the server hangs, help, remapping, palette, copy, times."""

from __future__ import annotations

import json
import time

import pytest
from textual.binding import Binding

from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.tui.screens.help import HelpScreen, declared_bindings, key_label
from swrgc_tui.tui.screens.home import HomeScreen
from swrgc_tui.tui.screens.instances import InstancesScreen
from swrgc_tui.tui.screens.main import MainScreen
from swrgc_tui.tui.widgets.sidebar import StatusSidebar
from swrgc_tui.tui.widgets.task_table import TaskTable

from .helpers import make_app, open_main, screen_lines, wait_until


@pytest.mark.parametrize("where", ["picker", "table"])
async def test_q_quits_at_once_while_a_request_hangs(
    emulator: EmulatorServer, where: str
) -> None:
    emulator.faults.latency_ms = 30_000
    instance = emulator.main_instance_id if where == "table" else None
    app = make_app(emulator, instance=instance)
    async with app.run_test(size=(80, 24)) as pilot:
        if where == "table":
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "main")
            waiting = app.screen.listing  # type: ignore[attr-defined]
            await wait_until(pilot, lambda: waiting.loading, "the first page")
        else:
            home = app.screen
            assert isinstance(home, HomeScreen)
            await wait_until(pilot, lambda: "Listing" in home.status_text, "instances")
        await pilot.pause(0.2)
        started = time.monotonic()
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "the app to end", 3)
    assert time.monotonic() - started < 3
    assert app.return_code == 0
    emulator.faults.latency_ms = 0


async def test_q_quits_from_the_help_screen(emulator_session: EmulatorServer) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "main")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "the app to end", 3)
    assert app.return_code == 0


async def test_help_lists_every_binding(emulator_session: EmulatorServer) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_main(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)

        listed = {
            (row.description, key) for row in help_screen.rows for key in row.keys
        }
        for _title, classes in app.help_sections():
            for cls in classes:
                for binding in declared_bindings(cls):
                    if binding.description and not binding.system:
                        assert (binding.description, binding.key) in listed
        assert ("Quit", "ctrl+q") in listed and ("Next pane", "tab") in listed
        for ours in (MainScreen, TaskTable, StatusSidebar, InstancesScreen):
            assert ours.BINDINGS and all(
                (b.description, key) in listed
                for b in ours.BINDINGS
                if isinstance(b, Binding) and b.description
                for key in b.key.split(",")
            )

        shown = "\n".join(screen_lines(help_screen))
        assert "Everywhere" in shown and "Quit" in shown
        assert "Show Error" in shown and "Retry page" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_follow_the_keymap_of_the_settings(
    emulator_session: EmulatorServer,
) -> None:
    keymap = {"refresh": "ctrl+r", "filter_5": "E", "no_such_binding": "x"}
    app = make_app(
        emulator_session, instance=emulator_session.main_instance_id, keymap=keymap
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_main(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert "No key binding has the id: no_such_binding." in notices

        await pilot.press("E")
        await wait_until(pilot, lambda: screen.listing.started, "the Error listing")
        assert screen.listing.status == "Error"

        asked = emulator_session.requests
        await pilot.press("r")
        await pilot.pause(0.2)
        assert emulator_session.requests == asked
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: emulator_session.requests > asked, "refresh")

        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        refresh = next(row for row in help_screen.rows if row.binding_id == "refresh")
        assert [key_label(k) for k in refresh.keys] == ["Ctrl+r"]


async def test_command_palette_runs_the_same_actions(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_main(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"show stopped")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.listing.status == "Stopped", "filter")
        await wait_until(pilot, lambda: screen.listing.started, "Stopped rows")
        assert {screen.store.status(i) for i in range(len(screen.store))} == {"Stopped"}


async def test_y_copies_the_id_and_Y_the_json(emulator_session: EmulatorServer) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_main(pilot)
        await pilot.press("j", "j", "y")
        task_id = screen.current_task_id()
        assert app.clipboard == str(task_id)
        assert f"Copied task id {task_id}." in [
            str(n.message) for n in app._notifications
        ]
        await pilot.press("Y")
        copied = json.loads(app.clipboard)
        assert copied["id"] == task_id and "job_parameters" in copied


async def test_t_cycles_relative_local_and_utc_times(
    emulator_session: EmulatorServer, tz_utc: None
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_main(pilot)
        assert "ago" in screen.table.render_line(1).text
        await pilot.press("t")
        assert screen.table.time_mode == "local" and app.ui_state.time_mode == "local"
        await pilot.press("t")
        assert screen.table.time_mode == "utc"
        assert screen.detail.time_mode == "utc"
        assert "Z" in screen.detail.plain_text().split("Created", 1)[1].split("\n")[0]
        await pilot.press("t")
        assert screen.table.time_mode == "relative"


async def test_no_credentials_offers_a_login_and_says_what_to_set(
    emulator_session: EmulatorServer,
) -> None:
    from swrgc_tui.tui.screens.login import LoginScreen

    app = make_app(emulator_session, credentials=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), "login")
        await pilot.press("escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: home.problem is not None, "the problem")
        assert "No credentials found" in home.status_text
        assert "HUAWEICLOUD_SDK_AK" in home.status_text
        assert "SWRGC_AUTH_TOKEN" in home.status_text
