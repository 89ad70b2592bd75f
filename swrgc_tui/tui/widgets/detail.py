"""The detail pane: everything about the highlighted GC run."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.highlighter import JSONHighlighter
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

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
from swrgc_tui.tui.widgets.strips import text_strip

#: At this width (cells) or more, identity and figures sit side by side.
SIDE_BY_SIDE_WIDTH = 76
_GAP = 2  # cells between the identity and figures columns

# DEL and the C1 controls survive json.dumps(ensure_ascii=False) verbatim;
# some terminals act on them, so they are escaped like the C0 ones. The re
# module compiles (and keeps) the pattern when the JSON view is first shown.
_UNSAFE_IN_JSON = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


_JSON_COLOURS = JSONHighlighter()


def task_json(task: GcTask, *, indent: int | None = 2) -> str:
    """The task as JSON text that is safe to put on a terminal."""
    text = json.dumps(task.to_wire(), indent=indent, ensure_ascii=False)
    return re.sub(_UNSAFE_IN_JSON, lambda m: f"\\u{ord(m.group()):04x}", text)


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


class _Lines(Widget):
    """Lines of text laid out by their owner for the width they are given.

    Counting the lines is cheap for the owner, so a layout asks for them
    instead of rendering the text to measure it; and a change that keeps the
    number of lines repaints the pane without a relayout of the screen.
    """

    DEFAULT_CSS = "_Lines { height: auto; }"

    def __init__(self, lines_for: Callable[[int], list[Text]], *, id: str) -> None:
        super().__init__(id=id)
        self._lines_for = lines_for
        self._cache: tuple[int, list[Text]] | None = None
        self._base: Style | None = None

    def changed(self) -> None:
        """The owner has something else to show."""
        before, self._cache = self._cache, None
        if before is None or not self.size.width:
            # Not laid out yet: the layout asks for the lines at its width.
            self.refresh(layout=True)
        else:
            self.refresh(layout=len(self.shown()) != len(before[1]))

    def shown(self) -> list[Text]:
        """The lines at the current width."""
        return self._lines_at(self.size.width)

    def _lines_at(self, width: int) -> list[Text]:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, self._lines_for(width))
        return self._cache[1]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines_at(width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None

    def render_line(self, y: int) -> Strip:
        # The base style is looked up once: working it out walks up the whole
        # screen for the background, and every line would do it again.
        style = self._base = self._base or self.rich_style
        lines = self.shown()
        if y >= len(lines):
            return Strip.blank(self.size.width, style)
        return text_strip(lines[y], self.app.console, style, self.size.width)


def _side_by_side(left: list[Text], right: list[Text]) -> list[Text]:
    """Two blocks of lines as columns, ``_GAP`` cells apart."""
    width = max(line.cell_len for line in left) + _GAP
    lines = []
    for number in range(max(len(left), len(right))):
        line = left[number].copy() if number < len(left) else Text()
        line.pad_right(width - line.cell_len)
        if number < len(right):
            line.append_text(right[number])
        lines.append(line)
    return lines


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
        self._notice = ""

    def compose(self) -> ComposeResult:
        yield _Lines(self._lines, id="detail-body")

    def on_mount(self) -> None:
        self._redraw()

    def show_notice(self, text: str) -> None:
        """Shows a warning above the task (a failed page), or none for ""."""
        if text != self._notice:
            self._notice = text
            self._redraw()

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
        for line in self.query_one(_Lines).shown():
            console.print(line)
        return console.export_text()

    def watch_raw(self) -> None:
        self._redraw()

    def watch_time_mode(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        if self.is_mounted and self.display:  # a hidden pane is drawn when shown
            self.query_one(_Lines).changed()

    def _lines(self, width: int) -> list[Text]:
        """What the pane shows, as lines that fit in ``width`` cells."""
        if not self._notice:
            return self._content(width)
        notice = Text(self._notice, self._style("note"))
        return [*self._wrapped(notice, width), Text(""), *self._content(width)]

    def _content(self, width: int) -> list[Text]:
        if self.shown_task is None:
            return self._wrapped(Text(self._message, self._style("muted")), width)
        if self.raw:
            return self._raw_view(self.shown_task, width)
        return self._formatted(self.shown_task, width)

    def _style(self, name: str) -> Any:
        return self.get_component_rich_style(f"detail--{name}", partial=True)

    def _wrapped(self, text: Text, width: int) -> list[Text]:
        """``text`` as the lines it takes at ``width`` (unwrapped if unknown)."""
        if width <= 0 or text.cell_len <= width and "\n" not in text.plain:
            return [text]
        return list(text.wrap(self.app.console, width, overflow="fold"))

    def _raw_view(self, task: GcTask, width: int) -> list[Text]:
        # Highlighting works on the escaped text itself: nothing is parsed
        # again, so the escapes stay escapes.
        code = Text(task_json(task))
        _JSON_COLOURS.highlight(code)
        title = Text("Task JSON (v: formatted view)", self._style("muted"))
        return [*self._wrapped(title, width), *self._wrapped(code, width)]

    def _formatted(self, task: GcTask, width: int) -> list[Text]:
        figures = self._figures(task, width)
        if width >= SIDE_BY_SIDE_WIDTH and task.job_parameters is not None:
            right = max(line.cell_len for line in figures)
            identity = self._identity(task, width - right - _GAP)
            return _side_by_side(identity, figures)
        return [*self._identity(task, width), Text(""), *figures]

    def _identity(self, task: GcTask, width: int) -> list[Text]:
        title = Text(f"Task {task.id}  ", style=self._style("title"))
        title.append(safe_text(status_symbol(task.job_status)), self._status(task))
        rows = [
            ("Name", Text(safe_text(task.job_name) or "—")),
            ("Kind", Text(safe_text(task.job_kind) or "—")),
            ("Created", self._when(task.creation_time)),
            ("Updated", self._when(task.update_time)),
            ("Duration", Text(self._duration(task))),
        ]
        return [title, *self._labelled(rows, width)]

    def _figures(self, task: GcTask, width: int) -> list[Text]:
        params = task.job_parameters
        if params is None:
            return self._no_parameters(task, width)
        workers = "—" if params.workers is None else str(params.workers)
        freed = params.freed_space
        rows: list[tuple[str | Text, Text]] = [
            (self._heading("Parameters"), Text()),
            ("Delete untagged", Text(_yes_no(params.delete_untagged))),
            ("Workers", Text(workers)),
            ("Dry run", Text(_yes_no(params.dry_run))),
            (self._heading(self._results_title(task)), Text()),
            ("Purged blobs", Text(_count(params.purged_blobs))),
            ("Purged manifests", Text(_count(params.purged_manifests))),
            ("Freed space", self._freed(freed, params.dry_run)),
        ]
        if freed is not None:
            rows.append(("", Text(exact_bytes(freed), self._style("muted"))))
        return self._labelled(rows, width)

    def _labelled(
        self, rows: Sequence[tuple[str | Text, Text]], width: int
    ) -> list[Text]:
        """Label and value lines, values aligned and folded within ``width``."""
        # Styles go on spans, not on the line: a line's own style would run
        # on into its padding and value.
        labels = [
            label if isinstance(label, Text) else Text().append(label, self._label)
            for label, _ in rows
        ]
        label_width = max(label.cell_len for label in labels)
        value_width = max(width - label_width - 1, 1) if width > 0 else 0
        lines: list[Text] = []
        for label, (_, value) in zip(labels, rows, strict=True):
            for number, part in enumerate(self._wrapped(value, value_width)):
                line = label.copy() if number == 0 else Text()
                line.pad_right(label_width + 1 - line.cell_len)
                lines.append(line.append_text(part))
        return lines

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

    def _no_parameters(self, task: GcTask, width: int) -> list[Text]:
        if task.job_parameters_raw is None:
            text = Text("No parameters or results reported.", self._style("muted"))
            return self._wrapped(text, width)
        note = Text("⚠ job_parameters could not be read. ", self._style("note"))
        note.append("The server sent:")
        raw = Text(safe_text(task.job_parameters_raw), self._style("muted"))
        return [*self._wrapped(note, width), *self._wrapped(raw, width)]

    @property
    def _label(self) -> Any:
        return self._style("label")

    def _heading(self, text: str) -> Text:
        return Text().append(text, self._label + self._style("section"))

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
