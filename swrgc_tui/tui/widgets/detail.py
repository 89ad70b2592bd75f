"""The detail pane: everything about the highlighted GC run."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.highlighter import JSONHighlighter
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from swrgc_tui.api.tasks import KNOWN_STATUSES, GcTask
from swrgc_tui.formatting import (
    duration,
    exact_bytes,
    iec_bytes,
    local_time,
    relative_time,
    safe_text,
    status_symbol,
    utc_time,
)

#: At this width (cells) or more, identity and figures sit side by side.
SIDE_BY_SIDE_WIDTH = 76

# DEL and the C1 controls survive json.dumps(ensure_ascii=False) verbatim;
# some terminals act on them, so they are escaped like the C0 ones.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


_JSON_COLOURS = JSONHighlighter()


def task_json(task: GcTask, *, indent: int | None = 2) -> str:
    """The task as JSON text that is safe to put on a terminal."""
    text = json.dumps(task.to_wire(), indent=indent, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


class TaskDetail(VerticalScroll):
    """Shows one task: identity, times, parameters and results, or its JSON.

    Focusable so that a long raw value or the JSON view can be scrolled with
    the keyboard. Everything from the server is escaped and drawn as plain
    text, never parsed as markup.
    """

    COMPONENT_CLASSES = {
        "detail--title",
        "detail--label",
        "detail--section",
        "detail--note",
        "detail--muted",
        "detail--Success",
        "detail--Running",
        "detail--Pending",
        "detail--Stopped",
        "detail--Error",
    }

    raw: reactive[bool] = reactive(False)
    """Show the task as JSON instead of the formatted view."""
    time_mode: reactive[str] = reactive("relative")
    """"relative" or "local" shows local times, "utc" shows UTC."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown_task: GcTask | None = None
        self._now: datetime | None = None
        self._message = "No task selected."
        self._notice: str | None = None
        self._body_height = -1

    def compose(self) -> ComposeResult:
        yield Static(id="detail-notice", markup=False)
        yield Static(id="detail-body", markup=False)

    def on_mount(self) -> None:
        self.show_notice("")
        self._redraw()

    def show_notice(self, text: str) -> None:
        """Shows a warning above the task (a failed page), or none for ""."""
        if text == self._notice:
            return  # a change of this part costs a relayout of the screen
        self._notice = text
        notice = self.query_one("#detail-notice", Static)
        notice.update(Text(text, self._style("note")))
        notice.display = bool(text)

    def show_task(self, task: GcTask | None, *, now: datetime) -> None:
        """Shows a task (None shows the empty message) as of ``now``."""
        self.shown_task, self._now = task, now
        self._redraw()

    def show_message(self, text: str) -> None:
        """Shows a line of text instead of a task (e.g. while loading)."""
        self.shown_task, self._message = None, text
        self._redraw()

    def plain_text(self) -> str:
        """The pane's content as plain text, as a user reads it."""
        console = Console(
            width=max(self.size.width, 20), file=io.StringIO(), record=True
        )
        for part in self.query(Static):
            if part.display:
                console.print(part.content)
        return console.export_text()

    def watch_raw(self) -> None:
        self._redraw()

    def watch_time_mode(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        if not self.is_mounted or not self.display:
            return  # a hidden pane is drawn when it is shown again
        body = self.query_one("#detail-body", Static)
        if self.shown_task is None:
            content: RenderableType = Text(self._message, style=self._style("muted"))
        elif self.raw:
            content = self._raw_view(self.shown_task)
        else:
            content = self._formatted(self.shown_task)
        body.update(content, layout=self._height_changes(content, body.size.width))

    def _height_changes(self, content: RenderableType, width: int) -> bool:
        """True when ``content`` takes another number of lines than the last.

        Most tasks take the same lines as the one before them, and a pane
        that keeps its height needs a repaint, not a relayout of the screen.
        """
        if width <= 0:
            return True
        console = self.app.console
        height = len(console.render_lines(content, console.options.update_width(width)))
        changed, self._body_height = height != self._body_height, height
        return changed

    def _style(self, name: str) -> Any:
        return self.get_component_rich_style(f"detail--{name}", partial=True)

    def _raw_view(self, task: GcTask) -> RenderableType:
        # Highlighting works on the escaped text itself: nothing is parsed
        # again, so the escapes stay escapes.
        code = Text(task_json(task), overflow="fold")
        _JSON_COLOURS.highlight(code)
        return Group(Text("Task JSON (v: formatted view)", self._style("muted")), code)

    def _formatted(self, task: GcTask) -> RenderableType:
        identity, figures = self._identity(task), self._figures(task)
        if self.size.width >= SIDE_BY_SIDE_WIDTH:
            outer = Table.grid(padding=(0, 2))
            outer.add_column(no_wrap=True)
            outer.add_column(no_wrap=True)
            outer.add_row(identity, figures)
            return outer
        return Group(identity, Text(""), figures)

    def _identity(self, task: GcTask) -> RenderableType:
        title = Text(f"Task {task.id}  ", style=self._style("title"))
        title.append(safe_text(status_symbol(task.job_status)), self._status(task))
        grid = self._grid()
        grid.add_row("Name", Text(safe_text(task.job_name) or "—"))
        grid.add_row("Kind", Text(safe_text(task.job_kind) or "—"))
        grid.add_row("Created", self._when(task.creation_time))
        grid.add_row("Updated", self._when(task.update_time))
        grid.add_row("Duration", Text(self._duration(task)))
        return Group(title, grid)

    def _figures(self, task: GcTask) -> RenderableType:
        params = task.job_parameters
        if params is None:
            return self._no_parameters(task)
        section = self._grid()
        section.add_row(self._heading("Parameters"), "")
        section.add_row("Delete untagged", _yes_no(params.delete_untagged))
        section.add_row(
            "Workers", "—" if params.workers is None else str(params.workers)
        )
        section.add_row("Dry run", _yes_no(params.dry_run))
        section.add_row(self._heading(self._results_title(task)), "")
        section.add_row("Purged blobs", _count(params.purged_blobs))
        section.add_row("Purged manifests", _count(params.purged_manifests))
        freed = params.freed_space
        section.add_row("Freed space", self._freed(freed, params.dry_run))
        if freed is not None:
            section.add_row("", Text(exact_bytes(freed), self._style("muted")))
        return section

    def _results_title(self, task: GcTask) -> str:
        # Short on purpose: the heading shares its column with the labels.
        head = (
            "Estimates"
            if task.job_parameters and task.job_parameters.dry_run
            else "Results"
        )
        return f"{head} so far" if task.is_active else head

    def _freed(self, freed: int | None, dry_run: bool | None) -> Text:
        if freed is None:
            return Text("—")
        text = Text(f"{'~' if dry_run else ''}{iec_bytes(freed)}")
        if dry_run:
            text.append("  estimate", self._style("note"))
        return text

    def _no_parameters(self, task: GcTask) -> RenderableType:
        if task.job_parameters_raw is None:
            return Text("No parameters or results reported.", self._style("muted"))
        note = Text("⚠ job_parameters could not be read. ", self._style("note"))
        note.append("The server sent:")
        raw = Text(safe_text(task.job_parameters_raw), self._style("muted"))
        return Group(note, raw)

    def _grid(self) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style=self._style("label"), no_wrap=True)
        grid.add_column(overflow="fold")
        return grid

    def _heading(self, text: str) -> Text:
        return Text(text, self._style("section"))

    def _status(self, task: GcTask) -> Any:
        known = task.job_status in KNOWN_STATUSES
        return self._style(task.job_status if known else "muted")

    def _when(self, moment: datetime | None) -> Text:
        if moment is None:
            return Text("—")
        shown = utc_time(moment) if self.time_mode == "utc" else local_time(moment)
        text = Text(shown)
        if self._now is not None:
            text.append(f"  {relative_time(moment, self._now)}", self._style("muted"))
        return text

    def _duration(self, task: GcTask) -> str:
        start = task.creation_time
        if start is None:
            return "—"
        if task.is_active and self._now is not None:
            state = "queued" if task.job_status == "Pending" else "running"
            return f"{duration((self._now - start).total_seconds())} ({state})"
        if task.update_time is None:
            return "—"
        return duration((task.update_time - start).total_seconds())
