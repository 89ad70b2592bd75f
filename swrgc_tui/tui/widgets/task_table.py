"""A virtual table of GC tasks that stays quick at a hundred thousand rows.

Only the visible lines are ever rendered (Textual's line API on a
``ScrollView``), straight from the columns of a :class:`TaskStore`, and the
rendered lines are cached until something they show changes. The line after
the last row is the tail: where the next page will land, an error with its
retry key, or the end of the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from swrgc_tui import formatting as fmt
from swrgc_tui.api.tasks import KNOWN_STATUSES
from swrgc_tui.tui.store import TaskStore

_DIM = Style(dim=True)
TAIL_STATES = ("idle", "more", "loading", "error", "end")
Columns = tuple[fmt.Column, ...]
_PARTS = ("header", "cursor", "muted", "tail", "failure", "unknown") + tuple(
    status.lower() for status in KNOWN_STATUSES
)


class _TableMessage(Message):
    """A message from a task table; ``control`` lets ``@on`` match its id."""

    def __init__(self, table: TaskTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> TaskTable:
        return self.table


class _RowMessage(_TableMessage):
    """A message about one row: its index and the id of its task."""

    def __init__(self, table: TaskTable, index: int, task_id: int | None) -> None:
        super().__init__(table)
        self.index, self.task_id = index, task_id


class TaskTable(ScrollView, can_focus=True):
    """The loaded tasks of a listing, one line each, with a cursor.

    Args:
        store: the rows to show; tell the table with :meth:`rows_changed`
            whenever the store changes.
        clock: gives the present, for relative times and running durations.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="cursor_down", show=False),
        Binding("k,up", "cursor_up", "Up", id="cursor_up", show=False),
        Binding("g,home", "cursor_first", "First", id="cursor_first", show=False),
        Binding("G,end", "cursor_last", "Last loaded", id="cursor_last", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", id="half_page_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", id="half_page_up"),
        Binding("pagedown", "page(1)", "Page down", id="page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="page_up", show=False),
        Binding("enter", "select_task", "Select", id="select_task", show=False),
        Binding("R", "retry_page", "Retry page", id="retry_page"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"task-table--{p}" for p in _PARTS}

    DEFAULT_CSS = """
    TaskTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .task-table--header { text-style: bold; background: $panel; }
        & > .task-table--cursor { background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground; }
        &:focus > .task-table--cursor { background: $block-cursor-background;
            color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
        & > .task-table--muted { color: $text-muted; }
        & > .task-table--tail { color: $text-muted; text-style: italic; }
        & > .task-table--failure { color: $text-error; text-style: bold; }
        & > .task-table--success { color: $text-success; }
        & > .task-table--running { color: $text-accent; text-style: bold; }
        & > .task-table--pending, & > .task-table--stopped { color: $text-warning; }
        & > .task-table--error { color: $text-error; text-style: bold; }
        & > .task-table--unknown { color: $text-muted; }
    }
    """

    cursor_row: reactive[int] = reactive(0)
    """Index of the highlighted row."""
    time_mode: reactive[str] = reactive("relative")
    """How the Created column reads: "relative", "local" or "utc"."""
    stale: reactive[bool] = reactive(False)
    """Rows are dimmed: they belong to a listing being replaced. Drawn here
    rather than by a CSS class, whose every change would restyle the table."""

    prefetch_rows = 150
    """Ask for more once fewer rows than this remain below the view or the cursor."""

    class Highlighted(_RowMessage):
        """The cursor moved to another row, or another task moved under it.

        ``task_id`` is None when no row is loaded.
        """

    class Selected(_RowMessage):
        """Enter, or a click on the highlighted row, chose a task."""

    class NeedMore(_TableMessage):
        """The view or the cursor came near the last loaded row."""

    class RetryRequested(_TableMessage):
        """The user asked to load the failed page again."""

    def __init__(
        self,
        store: TaskStore,
        *,
        clock: Callable[[], datetime] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))
        self._now = self.clock()
        self._tail = "idle"
        self._tail_text = ""
        self._tail_serial = 0
        self._asked_at: tuple[int, int] | None = None  # (tail serial, rows)
        self._shown: tuple[int, int | None] | None = None  # last Highlighted sent
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(256)
        self._styles: dict[str, Style] = {}

    @property
    def tail(self) -> str:
        """The state of the line after the last row."""
        return self._tail

    # -- the owner's calls -------------------------------------------------

    def rows_changed(self, *, inserted_at_top: int = 0) -> None:
        """Takes in a change of the store.

        Keeps the cursor on the task it was on. When rows were inserted above,
        the view moves down with them so what was on screen stays put, unless
        the view was at the top with the cursor still in sight: then the new
        rows show up there.
        """
        highlighted = self._shown[1] if self._shown else None
        index = None if highlighted is None else self.store.index_of(highlighted)
        self._set_virtual_size()
        if inserted_at_top and index is not None:
            stay = self.scroll_y == 0 and index < self._view_rows()
            if not stay:
                self.scroll_to(y=self.scroll_y + inserted_at_top, animate=False)
        if index is None and highlighted is not None:
            index = 0  # another listing replaced the rows
            self.scroll_to(y=0, animate=False)
        self.cursor_row = self.cursor_row if index is None else index
        self._cursor_moved()
        self.refresh()

    def set_tail(self, state: str, text: str = "") -> None:
        """Shows the state of the listing after the last row.

        Args:
            state: "more" (a hint that the server has more), "loading" (a page
                is on its way), "error" (``text`` says what failed, with the
                retry key), "end" (no more on the server) or "idle" (nothing).
            text: replaces the default words of the state; escaped before use.
        """
        if state not in TAIL_STATES:
            raise ValueError(f"unknown tail state {state!r}")
        if state != self._tail:
            self._tail_serial += 1
        self._tail, self._tail_text = state, text
        self._set_virtual_size()
        self.refresh()
        self.refresh_bindings()
        self._check_need_more()

    def move_to_task(self, task_id: int) -> bool:
        """Moves the cursor to a loaded task; False when it is not loaded."""
        index = self.store.index_of(task_id)
        if index is None:
            return False
        self.cursor_row = index
        return True

    # -- geometry ----------------------------------------------------------

    def _set_virtual_size(self) -> None:
        tail = self._tail != "idle"
        self.virtual_size = Size(0, 1 + len(self.store) + tail)

    def _view_rows(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        rows, top = self._view_rows(), round(self.scroll_y)
        last = self.cursor_row
        if last == len(self.store) - 1 and self._tail != "idle":
            last += 1  # keep the tail in sight under the last row
        # Immediate: a scroll deferred to the next refresh is lost when a
        # dialog covers the screen first (G, then the offer to load all).
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif last >= top + rows:
            below = min(self.cursor_row, last - rows + 1)
            self.scroll_to(y=below, animate=False, immediate=True)

    def _check_need_more(self) -> None:
        rows = len(self.store)
        asking = (self._tail_serial, rows)
        if self._tail != "more" or self._asked_at == asking:
            return
        bottom = round(self.scroll_y) + self._view_rows() - 1
        if rows - 1 - max(self.cursor_row, bottom) < self.prefetch_rows:
            self._asked_at = asking
            self.post_message(self.NeedMore(self))

    # -- reactives and events -----------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.store) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self._scroll_to_cursor()
        rows, index = len(self.store), self.cursor_row
        shown = (index, self.store.task_id(index) if rows else None)
        if shown != self._shown:
            self._shown = shown
            self.post_message(self.Highlighted(self, *shown))
        self._check_need_more()

    def validate_time_mode(self, mode: str) -> str:
        return mode if mode in fmt.TIME_MODES else "relative"

    def watch_time_mode(self) -> None:
        self.refresh()

    def watch_stale(self) -> None:
        self._lines.clear()
        self.refresh()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_need_more()

    def on_resize(self) -> None:
        self._scroll_to_cursor()
        self._check_need_more()

    def on_mount(self) -> None:
        self._set_virtual_size()
        self.set_interval(1.0, self.tick)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._lines.clear()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row, was = round(self.scroll_y) + offset.y - 1, self.cursor_row
        if row < len(self.store):
            self.cursor_row = row
            if row == was:  # a second click, or a double click
                self.action_select_task()
        elif row == len(self.store) and self._tail == "error":
            self.action_retry_page()

    def tick(self) -> None:
        """Moves the clock on, repainting only rows whose words changed."""
        now, store, mode = self.clock(), self.store, self.time_mode
        top = round(self.scroll_y)
        changed = [
            row
            for row in range(top, min(len(store), top + self._view_rows()))
            if store.row_cells(row, mode, now) != store.row_cells(row, mode, self._now)
        ]
        if changed:
            self._now = now
            for row in changed:
                self.refresh_line(row + 1)

    # -- actions ------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_first(self) -> None:
        self.cursor_row = 0

    def action_cursor_last(self) -> None:
        self.cursor_row = len(self.store) - 1

    def action_half_page(self, direction: int) -> None:
        """Moves the cursor and the view half a screen down (1) or up (-1)."""
        self._jump(direction * max(1, self._view_rows() // 2))

    def action_page(self, direction: int) -> None:
        """Moves the cursor and the view a screen down (1) or up (-1)."""
        self._jump(direction * self._view_rows())

    def _jump(self, rows: int) -> None:
        # The view moves as far as the cursor so the cursor keeps its place.
        self.scroll_to(y=self.scroll_y + rows, animate=False)
        self.cursor_row += rows

    def action_select_task(self) -> None:
        """Says which task the user chose (posts Selected)."""
        if len(self.store):
            index = self.cursor_row
            self.post_message(self.Selected(self, index, self.store.task_id(index)))

    def action_retry_page(self) -> None:
        """Asks for the failed page again (posts RetryRequested)."""
        if self._tail == "error":
            self.post_message(self.RetryRequested(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_page":
            return self._tail == "error"
        return True

    # -- rendering ----------------------------------------------------------

    def _style(self, part: str) -> Style:
        # Each part is looked up when first drawn after a change of styles:
        # most frames use a few of them, and every restyle empties the cache.
        style = self._styles.get(part)
        if style is None:
            base = self._styles.get("") or self.rich_style
            style = self._styles[""] = base
            if part:
                name = f"task-table--{part}"
                style = base + self.get_component_rich_style(name, partial=True)
            self._styles[part] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = fmt.plan_columns(width, self.store.id_width, self.time_mode)
        row, rows = round(self.scroll_y) + y - 1, len(self.store)
        if y == 0:
            titles = (fmt.fit(col.title, col.width, col.right) for col in columns)
            return self._text_line(" " + " ".join(titles), "header", width)
        if row < rows:
            key: tuple[object, ...] = (row, row == self.cursor_row, width)
            key += (self.store.revision, self.time_mode, self._now, self.has_focus)
            strip = self._lines.get(key)
            if strip is None:
                strip = self._lines[key] = self._render_row(row, columns, width)
            return strip
        if row == rows and self._tail != "idle":
            text = fmt.tail_text(self._tail, rows, self._tail_text, width - 1)
            part = "failure" if self._tail == "error" else "tail"
            return self._text_line(" " + text, part, width)
        return Strip.blank(width, self._style(""))

    def _text_line(self, text: str, part: str, width: int) -> Strip:
        return Strip([Segment(fmt.fit(text, width, False), self._style(part))], width)

    def _render_row(
        self, row: int, columns: tuple[fmt.Column, ...], width: int
    ) -> Strip:
        cells = self.store.row_cells(row, self.time_mode, self._now)
        status = self.store.status(row)
        part = status.lower() if status in KNOWN_STATUSES else "unknown"
        # The cursor line is one style throughout; the words still say it all.
        cursor = self._style("cursor") if row == self.cursor_row else None
        base, muted = cursor or self._style(""), cursor or self._style("muted")
        segments = [Segment(fmt.CURSOR_MARK if cursor else " ", base)]
        for col in columns:
            value = getattr(cells, col.key)
            style = (cursor or self._style(part)) if col.key == "status" else base
            if value == fmt.MISSING or col.key in ("kind", "dry"):
                style = muted
            segments.append(Segment(fmt.fit(value, col.width, col.right), style))
            segments.append(Segment(" ", base))
        strip = Strip(segments).adjust_cell_length(width, base)
        return strip.apply_style(_DIM) if self.stale else strip
