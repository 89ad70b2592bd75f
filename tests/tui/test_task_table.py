"""The task table in a small app: what it shows, how keys move it, what it asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.pilot import Pilot

from swrgc_tui.api.tasks import GcTask
from swrgc_tui.tui.store import TaskStore
from swrgc_tui.tui.widgets.task_table import TaskTable

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SIZE = (100, 30)
VIEW_ROWS = SIZE[1] - 1  # one line is the header


def make_task(task_id: int, **changes: Any) -> GcTask:
    """A finished run created ``task_id`` minutes before 1000 minutes ago."""
    created = NOW - timedelta(minutes=2000 - task_id)
    data: dict[str, Any] = {
        "id": task_id,
        "job_name": f"gc-{task_id}",
        "job_kind": "SCHEDULE",
        "job_status": "Success",
        "creation_time": created.isoformat(),
        "update_time": (created + timedelta(seconds=65)).isoformat(),
        "job_parameters": {"workers": 2, "freed_space": 5 * 1024**2},
    }
    data.update(changes)
    return GcTask.from_wire(data)


def page(first: int, count: int = 100) -> list[GcTask]:
    """``count`` tasks, newest first, starting at id ``first``."""
    return [make_task(first - i) for i in range(count)]


class TableApp(App[None]):
    """Just the table, recording what it posts."""

    def __init__(self, store: TaskStore) -> None:
        super().__init__()
        self.store = store
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield TaskTable(self.store, clock=lambda: NOW)

    def on_mount(self) -> None:
        self.query_one(TaskTable).focus()

    def on_task_table_highlighted(self, message: TaskTable.Highlighted) -> None:
        self.posted.append(message)

    def on_task_table_need_more(self, message: TaskTable.NeedMore) -> None:
        self.posted.append(message)

    def on_task_table_selected(self, message: TaskTable.Selected) -> None:
        self.posted.append(message)

    def on_task_table_retry_requested(self, message: TaskTable.RetryRequested) -> None:
        self.posted.append(message)

    def count(self, kind: type[Message]) -> int:
        return sum(isinstance(message, kind) for message in self.posted)

    def last_highlight(self) -> tuple[int, int | None]:
        found = [m for m in self.posted if isinstance(m, TaskTable.Highlighted)]
        return found[-1].index, found[-1].task_id


def lines(table: TaskTable) -> list[str]:
    """The table's lines as the screen gets them."""
    width, height = table.size
    return [strip.text for strip in table.render_lines(Region(0, 0, width, height))]


def filled(*tasks: list[GcTask]) -> TaskStore:
    store = TaskStore()
    for batch in tasks:
        store.extend(batch)
    return store


async def start(pilot: Pilot[None], tail: str = "more") -> TaskTable:
    table = pilot.app.query_one(TaskTable)
    table.rows_changed()
    table.set_tail(tail)
    await pilot.pause()
    return table


async def test_visible_rows_show_the_task_values() -> None:
    dry = {"dry_run": True, "freed_space": 3 * 1024**3 + 1024**3 // 2}
    store = filled(
        [
            make_task(1000, job_parameters=dry, job_kind="MANUAL"),
            make_task(999, job_status="Error", job_parameters=None),
            make_task(998, job_status="Running", update_time=None),
        ]
    )
    async with TableApp(store).run_test(size=SIZE) as pilot:
        table = await start(pilot, tail="end")
        shown = lines(table)
    assert shown[0].split() == [
        *("ID", "Name", "Kind", "Status", "Created", "Duration", "Freed", "Dry")
    ]
    assert shown[1].startswith("▌1000 gc-1000 ")
    assert shown[1].split()[2:] == [
        *("MANUAL", "✔", "Success", "16h", "ago", "1m", "05s", "~3.5", "GiB", "dry")
    ]
    assert shown[2].split()[:6] == ["999", "gc-999", "SCHEDULE", "✖", "Error", "16h"]
    assert shown[2].split()[-2:] == ["05s", "—"]  # no parameters: freed unknown
    assert "● Running" in shown[3] and "16h 42m…" in shown[3]
    assert shown[4].strip() == "— end of history: 3 tasks —"
    assert all(line.strip() == "" for line in shown[5:])


async def test_keys_move_the_cursor_and_highlight_carries_the_id() -> None:
    store = filled(page(1000, 300))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot, tail="end")
        assert app.last_highlight() == (0, 1000)
        await pilot.press("j", "j", "down")
        assert app.last_highlight() == (3, 997)
        await pilot.press("k", "up")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert app.last_highlight() == (299, 701)
        assert "— end of history: 300 tasks —" in lines(table)[-1]
        await pilot.press("g")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("ctrl+d")
        assert table.cursor_row == VIEW_ROWS // 2
        await pilot.press("ctrl+u")
        assert table.cursor_row == 0
        await pilot.press("pagedown", "pagedown")
        assert table.cursor_row == 2 * VIEW_ROWS
        visible = lines(table)
        assert f"▌ {1000 - 2 * VIEW_ROWS}" in "".join(visible)
        await pilot.press("pageup")
        assert table.cursor_row == VIEW_ROWS
        await pilot.press("end", "home", "up")
        assert table.cursor_row == 0
        await pilot.press("enter")
        selected = [m for m in app.posted if isinstance(m, TaskTable.Selected)]
        assert [(m.index, m.task_id) for m in selected] == [(0, 1000)]


async def test_need_more_fires_once_near_the_end_until_rows_change() -> None:
    store = filled(page(1000, 300))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot)
        assert app.count(TaskTable.NeedMore) == 0  # 300 rows: far from the end
        table.cursor_row = 300 - table.prefetch_rows - 1
        await pilot.pause()
        assert app.count(TaskTable.NeedMore) == 0
        await pilot.press("j", "j", "j", "G")
        assert app.count(TaskTable.NeedMore) == 1  # once, not per key
        table.set_tail("loading")
        await pilot.pause()
        assert "Loading more…" in lines(table)[-1]
        store.extend(page(700))
        table.rows_changed()
        table.set_tail("more")
        await pilot.pause()
        assert app.count(TaskTable.NeedMore) == 2  # still near: ask again, once
        assert table.cursor_row == 299  # the cursor stays where it was
        store.extend(page(600))
        table.rows_changed()
        await pilot.press("j")
        assert app.count(TaskTable.NeedMore) == 2  # 200 rows below: enough


async def test_scrolling_with_the_wheel_asks_for_more_without_moving_cursor() -> None:
    store = filled(page(1000, 200))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot)
        assert app.count(TaskTable.NeedMore) == 0
        # The pilot has no wheel of its own; send what a terminal would.
        wheel = [events.MouseScrollDown] * 15
        await pilot._post_mouse_events(wheel, TaskTable, offset=(5, 5))
        assert table.scroll_y > 200 - table.prefetch_rows - VIEW_ROWS
        assert table.cursor_row == 0
        assert app.count(TaskTable.NeedMore) == 1


async def test_server_text_is_shown_literally_never_interpreted() -> None:
    store = filled([make_task(7, job_name="[bold]x[/] \x1b[31mred\x1b[0m")])
    store.extend([make_task(6, job_name="[link=https://evil]y[/link]")])
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot)
        table.set_tail(
            "error", "APIGW.0308 [b]slow[/b] down\x1b]52;c;eA==\x07 (id r-1)"
        )
        await pilot.pause()
        shown = lines(table)
        assert "[bold]x[/] red" in shown[1]
        assert "[link=https://evil]y[/link]" in shown[2]
        assert shown[3].strip() == (
            "✖ APIGW.0308 [b]slow[/b] down (id r-1) — press R to retry"
        )
        assert not any("\x1b" in line for line in shown)
        await pilot.press("R")
        assert app.count(TaskTable.RetryRequested) == 1
        await pilot.click(TaskTable, offset=(10, 3))  # the error line
        assert app.count(TaskTable.RetryRequested) == 2
        table.set_tail("more")
        await pilot.press("R")
        assert app.count(TaskTable.RetryRequested) == 2


async def test_rows_inserted_on_top_keep_the_cursor_and_the_view() -> None:
    store = filled(page(1000, 200))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot)
        table.cursor_row = 100
        await pilot.pause()
        before = lines(table)[1:]
        assert store.merge_newer(page(1003, 3)) == 3
        table.rows_changed(inserted_at_top=3)
        await pilot.pause()
        assert table.cursor_row == 103 and app.last_highlight() == (103, 900)
        assert lines(table)[1:] == before  # nothing on screen moved


async def test_rows_inserted_on_top_show_when_the_view_is_at_the_top() -> None:
    store = filled(page(1000, 50))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot)
        await pilot.press("j")
        store.merge_newer(page(1002, 2))
        table.rows_changed(inserted_at_top=2)
        await pilot.pause()
        shown = lines(table)
        assert shown[1].split()[0] == "1002" and shown[2].split()[0] == "1001"
        assert shown[4].startswith("▌ 999")
        assert app.last_highlight() == (3, 999)


async def test_a_replaced_listing_puts_the_cursor_back_on_top() -> None:
    store = filled(page(1000, 200))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await start(pilot)
        await pilot.press("G")
        store.clear()
        table.rows_changed()
        table.set_tail("loading")
        await pilot.pause()
        assert app.last_highlight() == (0, None)
        assert lines(table)[1].strip() == "Loading…"
        await pilot.press("enter", "j")  # nothing to select or move to
        assert app.count(TaskTable.Selected) == 0
        store.extend(page(500, 10))
        table.rows_changed()
        table.set_tail("end")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_y == 0
        assert app.last_highlight() == (0, 500)


async def test_narrow_widths_keep_id_name_and_status() -> None:
    store = filled([make_task(123456, job_name="nightly-cleanup-of-everything")])
    headers = {}
    for width in (100, 80, 60, 50, 40):
        async with TableApp(store).run_test(size=(width, 10)) as pilot:
            table = await start(pilot)
            headers[width], row = lines(table)[:2]
            assert row.startswith("▌123456 nightly-")
            assert "✔ Success" in row
            assert len(row) == table.size.width
    assert headers[80].split() == headers[100].split()  # 80 columns hold it all
    assert headers[60].split() == ["ID", "Name", "Status", "Created", "Freed"]
    assert headers[40].split() == ["ID", "Name", "Status"]


async def test_time_mode_changes_the_created_column() -> None:
    store = filled([make_task(1000)])
    async with TableApp(store).run_test(size=SIZE) as pilot:
        table = await start(pilot)
        assert "16h ago" in lines(table)[1]
        table.time_mode = "utc"
        await pilot.pause()
        assert "Created (UTC)" in lines(table)[0]
        assert "2024-02-29 19:20:00Z" in lines(table)[1]


async def test_clicking_moves_the_cursor_and_a_second_click_selects() -> None:
    store = filled(page(1000, 20))
    app = TableApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.click(TaskTable, offset=(5, 4))
        assert app.last_highlight() == (3, 997)
        assert app.count(TaskTable.Selected) == 0
        await pilot.click(TaskTable, offset=(5, 4))
        assert app.count(TaskTable.Selected) == 1
        await pilot.click(TaskTable, offset=(5, 0))  # the header
        assert app.last_highlight() == (3, 997)


async def test_running_rows_follow_the_clock() -> None:
    store = filled([make_task(1000, job_status="Running", update_time=None)])
    async with TableApp(store).run_test(size=SIZE) as pilot:
        table = await start(pilot)
        assert "16h 40m…" in lines(table)[1]
        table.clock = lambda: NOW + timedelta(minutes=5)
        table.tick()
        await pilot.pause()
        assert "16h 45m…" in lines(table)[1]


async def test_status_colours_differ_but_words_carry_the_meaning() -> None:
    store = filled([make_task(3), make_task(2, job_status="Error")])
    async with TableApp(store).run_test(size=SIZE) as pilot:
        table = await start(pilot)
        table.cursor_row = 1
        await pilot.pause()
        width = table.size.width
        first = table.render_lines(Region(0, 1, width, 1))[0]
        colours = {seg.style.color for seg in first if seg.text.strip() == "✔ Success"}
        await pilot.press("k")
        second = table.render_lines(Region(0, 2, width, 1))[0]
        errors = {seg.style.color for seg in second if seg.text.strip() == "✖ Error"}
        assert colours and errors and colours != errors
