"""The status filter: a list beside the table, or a one-line bar when narrow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from swrgc_tui.formatting import status_symbol
from swrgc_tui.tui.widgets.strips import text_strip


class StatusFilter(NamedTuple):
    """One entry of the filter: the key that picks it and the status it lists.

    A named tuple: creating a dataclass would cost the start-up several times
    as much.
    """

    key: str
    status: str | None
    label: str

    @property
    def glyph(self) -> str:
        """The status glyph (the same one the table shows), "≡" for All."""
        if self.status is None:
            return "≡"
        return status_symbol(self.status).split(" ", 1)[0]


FILTERS: tuple[StatusFilter, ...] = (
    StatusFilter("0", None, "All"),
    StatusFilter("1", "Success", "Success"),
    StatusFilter("2", "Running", "Running"),
    StatusFilter("3", "Pending", "Pending"),
    StatusFilter("4", "Stopped", "Stopped"),
    StatusFilter("5", "Error", "Error"),
)


def filter_index(status: str | None) -> int:
    """The position of a status in :data:`FILTERS` (0, All, when unknown)."""
    for index, entry in enumerate(FILTERS):
        if entry.status == status:
            return index
    return 0


class StatusCounts:
    """How many tasks of each status are loaded, as the sidebar shows them.

    The All listing tells the count of every status; a listing filtered by a
    status tells only its own, and the others keep what was last known.
    A "+" marks a count that more pages may still raise.
    """

    def __init__(self) -> None:
        self._known: dict[str | None, tuple[int, bool]] = {}

    def update(
        self, status: str | None, counts: Mapping[str, int], loaded: int, more: bool
    ) -> dict[str | None, str]:
        """Takes in the current listing; returns the label of each entry.

        Args:
            status: the listing's filter (None for All).
            counts: loaded tasks per status.
            loaded: loaded tasks in all.
            more: the server may hold more.
        """
        if status is None:
            for entry in FILTERS[1:]:
                self._known[entry.status] = (counts.get(entry.status or "", 0), more)
        self._known[status] = (loaded, more)
        return {
            key: f"{count:,}{'+' if partial else ''}"
            for key, (count, partial) in self._known.items()
        }


class StatusSidebar(Widget, can_focus=True):
    """Lists the status filters with how many loaded tasks each one has.

    The widget draws itself as a vertical list, or as a single line when
    ``bar`` is set (narrow terminals). It never changes the listing itself: it
    posts :class:`StatusSidebar.Chosen` and the screen decides.
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous filter", id="filter_up", show=False),
        Binding("down,j", "move(1)", "Next filter", id="filter_down", show=False),
        Binding("left", "move(-1)", "Previous filter", show=False),
        Binding("right", "move(1)", "Next filter", show=False),
        Binding("enter,space", "choose", "Apply filter", id="filter_apply"),
    ]

    COMPONENT_CLASSES = {
        "sidebar--title",
        "sidebar--active",
        "sidebar--cursor",
        "sidebar--count",
        "sidebar--All",
        "sidebar--Success",
        "sidebar--Running",
        "sidebar--Pending",
        "sidebar--Stopped",
        "sidebar--Error",
    }

    active: reactive[int] = reactive(0)
    """Index in FILTERS of the filter the table shows."""
    cursor: reactive[int] = reactive(0)
    """Index in FILTERS of the entry under the keyboard cursor."""
    bar: reactive[bool] = reactive(False, layout=True)
    """Draw as one line (narrow terminals) instead of a list."""

    class Chosen(Message):
        """The user picked a filter (by key, Enter or click)."""

        def __init__(self, status: str | None) -> None:
            super().__init__()
            self.status = status

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._counts: dict[str | None, str] = {}
        self._hits: list[tuple[int, int]] = []
        self._drawn: tuple[tuple[object, ...], list[Text], Style] | None = None

    def set_counts(self, counts: Mapping[str | None, str]) -> None:
        """Shows counts per status (None is All), already formatted ("12+")."""
        if dict(counts) != self._counts:
            self._counts = dict(counts)
            self.refresh(layout=self.bar)

    def label_of(self, index: int) -> str:
        """The plain text of one entry as drawn, for tests and screen readers."""
        entry = FILTERS[index]
        count = self._counts.get(entry.status, "")
        return f"{entry.key} {entry.glyph} {entry.label} {count}".rstrip()

    def watch_active(self, active: int) -> None:
        self.cursor = active

    def action_move(self, step: int) -> None:
        """Moves the keyboard cursor, wrapping around."""
        self.cursor = (self.cursor + step) % len(FILTERS)

    def action_choose(self) -> None:
        """Applies the entry under the cursor."""
        self.post_message(self.Chosen(FILTERS[self.cursor].status))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self._index_at(offset.x, offset.y)
        if index is not None:
            self.cursor = index
            self.action_choose()

    def _index_at(self, x: int, y: int) -> int | None:
        if not self.bar:
            index = y - 1
            return index if 0 <= index < len(FILTERS) else None
        for index, (start, end) in enumerate(self._hits):
            if start <= x < end:
                return index
        return None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 if self.bar else len(FILTERS) + 1

    def render_line(self, y: int) -> Strip:
        # Drawn line by line: the few lines with words are built once per
        # repaint, and the rest of the column is blank.
        width = self.size.width
        lines, style = self._drawing(width)
        if y >= len(lines):
            return Strip.blank(width, style)
        return text_strip(lines[y], self.app.console, style, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None

    def _drawing(self, width: int) -> tuple[list[Text], Style]:
        """The lines with words and the base style, shared by a repaint's lines.

        The base style is worth keeping too: working it out walks up the
        whole screen for the background.
        """
        state = (width, self.bar, self.active, self.cursor, self.has_focus)
        key = (*state, *self._counts.items())
        if self._drawn is None or self._drawn[0] != key:
            lines = self._bar() if self.bar else self._list(max(width, 16))
            for line in lines:
                line.truncate(width, overflow="ellipsis")
            self._drawn = (key, lines, self.rich_style)
        return self._drawn[1], self._drawn[2]

    def _style(self, index: int) -> Style:
        name = FILTERS[index].status or "All"
        style = self.get_component_rich_style(f"sidebar--{name}")
        if index == self.active:
            style += self.get_component_rich_style("sidebar--active")
        if index == self.cursor and self.has_focus:
            style += self.get_component_rich_style("sidebar--cursor")
        return style

    def _list(self, width: int) -> list[Text]:
        lines = [Text("Status", style=self.get_component_rich_style("sidebar--title"))]
        for index, entry in enumerate(FILTERS):
            marker = "▸" if index == self.active else " "
            count = self._counts.get(entry.status, "")
            head = f"{marker}{entry.key} {entry.glyph} {entry.label}"
            pad = max(1, width - len(head) - len(count))
            line = Text(head + " " * pad, style=self._style(index))
            line.append(count, self.get_component_rich_style("sidebar--count"))
            lines.append(line)
        return lines

    def _bar(self) -> list[Text]:
        """One line; sheds key digits, then glyphs, until the line fits."""
        for with_key, with_glyph in ((True, True), (False, True), (False, False)):
            text, hits = self._bar_line(with_key, with_glyph)
            if text.cell_len <= self.size.width:
                break
        self._hits = hits
        return [text]

    def _bar_line(
        self, with_key: bool, with_glyph: bool
    ) -> tuple[Text, list[tuple[int, int]]]:
        text = Text(no_wrap=True, overflow="ellipsis")
        hits: list[tuple[int, int]] = []
        for index, entry in enumerate(FILTERS):
            if index:
                text.append(" │ ")
            marker = "▸" if index == self.active else ""
            parts = [marker + (entry.key if with_key else "")]
            parts += [entry.glyph] if with_glyph else []
            parts += [entry.label, self._counts.get(entry.status, "")]
            start = text.cell_len
            text.append(" ".join(p for p in parts if p), self._style(index))
            hits.append((start, text.cell_len))
        return text, hits
