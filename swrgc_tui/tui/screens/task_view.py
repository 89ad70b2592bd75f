"""What the main screen does with the rows it shows: search, copy, display."""

from __future__ import annotations

from typing import TYPE_CHECKING

from swrgc_tui.api.tasks import GcTask
from swrgc_tui.formatting import TIME_MODES, safe_text
from swrgc_tui.tui.screens.base import AppScreen
from swrgc_tui.tui.store import TaskStore
from swrgc_tui.tui.widgets.detail import TaskDetail, task_json
from swrgc_tui.tui.widgets.task_list import TaskList

if TYPE_CHECKING:
    from swrgc_tui.tui.widgets.search_bar import SearchBar


class TaskView(AppScreen):
    """The actions on loaded rows, apart from loading them.

    The main screen builds the widgets named here and loads the rows; this
    part only reads them, so it stays the same whatever the listing does.
    """

    store: TaskStore
    table: TaskList
    detail: TaskDetail
    search: SearchBar | None = None
    """The search field, built the first time it opens."""

    def show_detail(self) -> None:
        """Draws the highlighted task in the detail pane."""
        raise NotImplementedError

    def current_task_id(self) -> int | None:
        """The id of the task under the cursor, if any."""
        row = self.table.cursor_row
        return self.store.task_id(row) if 0 <= row < len(self.store) else None

    def current_task(self) -> GcTask | None:
        """The task under the cursor, rebuilt from the store."""
        row = self.table.cursor_row
        return self.store.task(row) if 0 <= row < len(self.store) else None

    async def action_search(self) -> None:
        """Opens the search field, placed over the table the first time.

        A text field is costly to build and style, and most sessions never
        search: it is left out of start-up and of the first frame.
        """
        if self.search is None:
            from swrgc_tui.tui.widgets.search_bar import SearchBar

            self.search = SearchBar(id="search")
            await self.mount(self.search, before=self.table)
        self.search.open()

    def action_search_step(self, forward: bool) -> None:
        """Moves to the next (or previous) loaded task matching the search."""
        query = self.search.last_search if self.search else ""
        if not query:
            self.notify("Press / to search by name or id.")
            return
        start = self.table.cursor_row + (1 if forward else -1)
        found = self.store.find(query, start, forward)
        if found is None:
            text = safe_text(query)
            self.notify(f"No loaded task matches “{text}”.", severity="warning")
        else:
            self.table.move_to_task(self.store.task_id(found))

    def action_toggle_detail(self) -> None:
        """Shows or hides the detail pane."""
        self.detail.display = not self.detail.display
        self.swr_app.ui_state.show_detail = bool(self.detail.display)
        if self.detail.display:
            self.show_detail()

    def action_toggle_raw(self) -> None:
        """Switches the detail pane between the formatted view and JSON."""
        self.detail.raw = not self.detail.raw
        self.swr_app.ui_state.raw_json = self.detail.raw
        if not self.detail.display:
            self.action_toggle_detail()

    def action_cycle_time(self) -> None:
        """Cycles the times shown: relative, local, UTC."""
        index = TIME_MODES.index(self.table.time_mode)
        mode = TIME_MODES[(index + 1) % len(TIME_MODES)]
        self.table.time_mode = self.detail.time_mode = mode
        self.swr_app.ui_state.time_mode = mode  # type: ignore[assignment]
        self.notify(f"Times shown as {'UTC' if mode == 'utc' else mode} time.")

    def action_copy_id(self) -> None:
        """Copies the highlighted task's id to the clipboard (OSC 52)."""
        task_id = self.current_task_id()
        if task_id is not None:
            self.app.copy_to_clipboard(str(task_id))
            self.notify(f"Copied task id {task_id}.")

    def action_copy_json(self) -> None:
        """Copies the highlighted task as JSON to the clipboard (OSC 52)."""
        task = self.current_task()
        if task is not None:
            self.app.copy_to_clipboard(task_json(task))
            self.notify(f"Copied task {task.id} as JSON.")
