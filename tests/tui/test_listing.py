"""The task list over the emulator: filters, paging, errors, refresh, search."""

from __future__ import annotations

from swrgc_tui.api.auth import AkSkAuth
from swrgc_tui.api.client import SwrClient
from swrgc_tui.api.paging import TaskPager
from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.tui.screens.dialogs import ConfirmScreen
from swrgc_tui.tui.screens.main import MainScreen

from .helpers import make_app, open_main, settle, table_lines, wait_until


async def _all_ids(emu: EmulatorServer, status: str | None = None) -> list[int]:
    """Every task id of the main instance, newest first, as the server pages it."""
    auth = AkSkAuth(emu.ak, emu.sk, project_id=emu.project_id)
    async with SwrClient(emu.endpoint, emu.project_id, auth) as client:
        pager = TaskPager(client, emu.main_instance_id, status=status)
        return [task.id async for page in pager for task in page]


def _ids(screen: MainScreen) -> list[int]:
    return [screen.store.task_id(i) for i in range(len(screen.store))]


def _statuses(screen: MainScreen) -> set[str]:
    return {screen.store.status(i) for i in range(len(screen.store))}


def _app(emu: EmulatorServer, **settings: object):  # type: ignore[no-untyped-def]
    return make_app(emu, instance=emu.main_instance_id, **settings)


async def test_filter_shows_only_that_status_and_drops_the_slow_reply(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    app = _app(emu)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        emu.faults.status_latency_ms = {"Error": 800.0}
        await pilot.press("5")  # Error: its answer takes 0.8 s
        await pilot.press("1")  # Success answers at once
        await wait_until(pilot, lambda: screen.listing.started, "Success rows")
        await pilot.pause(1.2)  # long enough for the Error answer to be back

        assert screen.listing.status == "Success"
        assert _statuses(screen) == {"Success"}
        rows = table_lines(screen)[1:-1]
        assert rows and all("Success" in row for row in rows if row.strip())
        assert not any("Error" in row for row in rows)
        asked = [query.get("status") for _, path, query in emu.request_log]
        assert "Error" in asked and asked[-1] == "Success"
        assert screen.sidebar.label_of(1).startswith("1 ✔ Success")


async def test_scrolling_loads_every_page_once_up_to_the_true_end(
    emulator_session: EmulatorServer,
) -> None:
    app = _app(emulator_session, page_size=40)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        for _ in range(60):
            if screen.table.tail == "end":
                break
            await pilot.press("pagedown")
            await pilot.pause(0.02)
        await wait_until(pilot, lambda: screen.table.tail == "end", "end of history")

        expected = await _all_ids(emulator_session)
        assert _ids(screen) == expected
        assert len(set(_ids(screen))) == len(expected) == 400
        await pilot.press("G")
        assert not isinstance(app.screen, ConfirmScreen)  # nothing more to offer
        assert f"end of history: {len(expected):,} tasks" in table_lines(screen)[-1]
        assert "that is all" in screen.status_line.plain


async def test_jumping_to_the_end_offers_to_load_everything(
    emulator_session: EmulatorServer,
) -> None:
    app = _app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        await pilot.press("G")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "offer")
        table = screen.table
        top = round(table.scroll_y)
        # The last row loaded when G was pressed is in view, not the top rows.
        assert table.cursor_row > table.size.height
        assert top < table.cursor_row < top + table.size.height - 1
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.table.tail == "end", "everything", 10)
        assert _ids(screen) == await _all_ids(emulator_session)
        assert not screen.listing.loading_all


async def test_escape_stops_loading_everything(
    emulator_session: EmulatorServer,
) -> None:
    emulator_session.faults.slow_marker_ms = 300.0
    app = _app(emulator_session, page_size=20)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot, rows=20)
        await pilot.press("L")
        assert "loading everything" in screen.status_line.plain
        await wait_until(
            pilot, lambda: len(screen.store) >= 100, "a few more pages", 10
        )
        await pilot.press("escape")
        # The harness may take a few pages' time to deliver the key.
        stopped_at = len(screen.store)
        assert not screen.listing.loading_all
        # The page in flight still lands, and pages the table asks for to stay
        # ahead of the cursor may come, but only as far as its read-ahead
        # distance, far from the end.
        loaded = -1
        while loaded != len(screen.store):
            await settle(pilot, screen)
            loaded = len(screen.store)
            await pilot.pause(0.8)
        ahead = screen.table.prefetch_rows + screen.table.size.height
        assert loaded <= max(stopped_at, ahead) + 20 < 400
        assert "more on server" in screen.status_line.plain


async def test_failed_page_keeps_rows_and_R_asks_again(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    app = _app(emu, page_size=50)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        emu.faults.fail_next = [400]
        before = len(screen.store)
        await pilot.press("G")  # near the end: the next page is asked for
        await wait_until(pilot, lambda: screen.listing.error is not None, "the failure")
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("n")

        assert len(screen.store) == before
        tail = table_lines(screen)[-1]
        assert "SVCSTG.SWR.4000014" in tail and "request id" in tail
        assert "R retries" in screen.status_line.plain

        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.store) > before, "the page again")
        assert screen.listing.error is None
        shown = _ids(screen)
        assert shown == (await _all_ids(emu))[: len(shown)]


async def test_refresh_keeps_the_cursor_on_its_task(
    emulator_session: EmulatorServer,
) -> None:
    app = _app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        await pilot.press(*"jjjjjjj")
        chosen = screen.current_task_id()
        asked = emulator_session.requests
        await pilot.press("r")
        await wait_until(pilot, lambda: emulator_session.requests > asked, "a request")
        await wait_until(pilot, lambda: not screen.listing.loading, "the new pages")
        assert screen.current_task_id() == chosen
        assert screen.table.cursor_row == 7


async def test_search_finds_loaded_tasks_by_name_and_by_id(
    emulator_session: EmulatorServer,
) -> None:
    app = _app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        target = screen.store.task(57)
        await pilot.press("slash", *str(target.id), "enter")
        assert screen.current_task_id() == target.id
        assert app.focused is screen.table

        names = [screen.store.task(i).job_name for i in range(len(screen.store))]
        manual = [i for i, name in enumerate(names) if name == "manual-gc"]
        await pilot.press("g", "slash", "ctrl+u", *"MANUAL-GC", "enter")
        assert screen.table.cursor_row == manual[0]
        await pilot.press("n")
        assert screen.table.cursor_row == manual[1]
        await pilot.press("N")
        assert screen.table.cursor_row == manual[0]


async def test_n_before_a_search_says_how_and_escape_closes_the_field(
    emulator_session: EmulatorServer,
) -> None:
    app = _app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        assert screen.search is None
        await pilot.press("n")
        messages = [n.message for n in app._notifications]
        assert "Press / to search by name or id." in messages
        await pilot.press("slash", "4", "escape")
        assert screen.search is not None and not screen.search.display
        assert app.focused is screen.table and screen.table.cursor_row == 0


async def test_search_without_a_match_says_so(emulator_session: EmulatorServer) -> None:
    app = _app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        await pilot.press("slash", *"no such thing", "enter")
        assert screen.table.cursor_row == 0
        messages = [n.message for n in app._notifications]
        assert "No loaded task matches “no such thing”." in messages


async def test_old_rows_stay_marked_until_the_new_filter_answers(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    app = _app(emu)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        emu.faults.status_latency_ms = {"Error": 600.0}
        await pilot.press("5")
        assert screen.table.stale and len(screen.store) > 0
        await pilot.pause()
        dimmed = screen.table.render_line(1)
        assert all(seg.style and seg.style.dim for seg in dimmed if seg.text.strip())
        assert screen.status_line.plain.startswith("Loading Error tasks…")
        await wait_until(pilot, lambda: screen.listing.started, "the Error rows")
        assert not screen.table.stale
        row = screen.table.render_line(1)
        assert not any(seg.style and seg.style.dim for seg in row)
        assert _statuses(screen) == {"Error"}


async def test_a_failed_first_page_of_a_new_filter_clears_the_old_rows(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    app = _app(emu)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        emu.faults.fail_next = [400]
        await pilot.press("4")
        await wait_until(pilot, lambda: screen.listing.error is not None, "the failure")
        assert len(screen.store) == 0 and not screen.table.stale
        assert "SVCSTG.SWR.4000014" in table_lines(screen)[1]
        assert "The first page could not be loaded." in screen.detail.plain_text()
