"""Turning task values into the short strings a terminal shows.

Nothing here imports Textual, so the headless commands and the TUI format
sizes, durations and times the same way. Every function is cheap enough to
call once per visible cell on every repaint.
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

#: Shown wherever a value is missing or unknown.
MISSING = "—"
#: The ways a time column can read.
TIME_MODES = ("relative", "local", "utc")

_IEC_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB")

#: Glyph and word for each documented status; the word carries the meaning,
#: so the column stays readable without colour.
STATUS_GLYPHS: dict[str, str] = {
    "Success": "✔",
    "Running": "●",
    "Pending": "…",
    "Stopped": "■",
    "Error": "✖",
}
UNKNOWN_GLYPH = "?"

# What safe_text takes out, compiled (and kept) by the re module the first
# time some text needs it: nearly all text is printable and never does.
# ANSI escape sequences (CSI, OSC, DCS/PM/APC strings, two-character ESC
# codes and their 8-bit C1 forms) go whole, so no parameter residue such as
# "[31m" is left behind; then any lone control character goes.
_ESCAPES = (
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# Bidirectional overrides and isolates can reorder what follows them on
# screen, so a name could pretend to be another; they are dropped as well.
_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_BLANKS = r"[\t\n\r\v\f]"


def safe_text(value: str) -> str:
    """Makes server text safe to draw: no escapes, no control characters.

    Tabs and line breaks become spaces so one value stays on one line.

    Args:
        value: text as the server sent it.

    Returns:
        The text with escape sequences, C0/C1 controls, DEL and bidi
        overrides removed.
    """
    # Whatever the patterns take out is not printable: all-printable text,
    # nearly all there is, needs no search.
    if value.isprintable():
        return value
    text = re.sub(_ESCAPES, "", value)
    text = re.sub(_BLANKS, " ", text)
    return re.sub(_CONTROLS, "", text)


def iec_bytes(n: int | None) -> str:
    """Formats a byte count in IEC units: "512 B", "1.5 KiB", "12.3 GiB".

    Args:
        n: the number of bytes, or None when unknown.

    Returns:
        The size with one decimal above 1023 bytes, in PiB at most.
    """
    if n is None:
        return MISSING
    magnitude = abs(n)
    if magnitude < 1024:
        return f"{n} B"
    value = float(magnitude)
    unit = _IEC_UNITS[0]
    for unit in _IEC_UNITS:
        value /= 1024
        # Step up while rounding would print "1024.0" of this unit.
        if round(value, 1) < 1024 or unit == _IEC_UNITS[-1]:
            break
    sign = "-" if n < 0 else ""
    return f"{sign}{value:.1f} {unit}"


def exact_bytes(n: int | None) -> str:
    """Formats a byte count exactly, grouped by thousands: "1,234,567 bytes"."""
    if n is None:
        return MISSING
    return "1 byte" if n == 1 else f"{n:,} bytes"


def duration(seconds: float | None) -> str:
    """Formats a span with its two largest units: "45s", "3m 05s", "2h 01m".

    Args:
        seconds: the span, or None when unknown.

    Returns:
        The span, or "—" when it is unknown or negative (a clock mix-up).
    """
    if seconds is None or seconds < 0:
        return MISSING
    total = int(seconds)
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def _age(seconds: int) -> str:
    """The single largest unit of a non-negative span: "5m", "3h", "2d"."""
    for size, unit in ((31_536_000, "y"), (86_400, "d"), (3_600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def relative_time(moment: datetime, now: datetime) -> str:
    """Says how far a moment is from now: "5m ago", "in 3m", "just now".

    Args:
        moment: the time to describe (aware).
        now: the present (aware).
    """
    delta = int((now - moment).total_seconds())
    if delta == 0:
        return "just now"
    return f"{_age(delta)} ago" if delta > 0 else f"in {_age(-delta)}"


# The TZ value the C library was last told about; tzset() is not free, so it
# only runs when the environment changed.
_applied_tz: str | None = None


def _follow_tz() -> None:
    """Re-reads the local zone when ``TZ`` changed since the last call."""
    global _applied_tz
    current = os.environ.get("TZ")
    if current != _applied_tz:
        _applied_tz = current
        time.tzset()


def local_time(moment: datetime) -> str:
    """Formats a moment in the local time zone (honouring ``TZ``).

    Returns:
        "2024-01-20 18:00:00", without the zone's name.
    """
    _follow_tz()
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def utc_time(moment: datetime) -> str:
    """Formats a moment in UTC: "2024-01-20 10:00:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def status_symbol(status: str) -> str:
    """Glyph and word for a task status: "✔ Success", "? Weird".

    Args:
        status: the status as the server sent it; unknown values are kept.
    """
    glyph = STATUS_GLYPHS.get(status)
    if glyph is not None:
        return f"{glyph} {status}"
    word = safe_text(status).strip() or "unknown"
    return f"{UNKNOWN_GLYPH} {word}"


def moment_text(moment: datetime | None, mode: str, now: datetime) -> str:
    """A moment as a time column shows it in the chosen mode.

    Args:
        moment: the time, or None when unknown.
        mode: "relative", "local" or "utc".
        now: the present, for relative times.
    """
    if moment is None:
        return MISSING
    if mode == "local":
        return local_time(moment)
    if mode == "utc":
        return utc_time(moment)
    return relative_time(moment, now)


def run_time(
    created: datetime | None, updated: datetime | None, active: bool, now: datetime
) -> str:
    """How long a GC run took, or has taken so far while it is active.

    An open-ended figure ends in "…", e.g. "3m 05s…".
    """
    if created is None:
        return MISSING
    if active:
        return duration((now - created).total_seconds()) + "…"
    if updated is None:
        return MISSING
    return duration((updated - created).total_seconds())


def freed_text(freed: int | None, dry_run: bool) -> str:
    """Space a run freed; a dry run's estimate is marked with "~"."""
    if freed is None:
        return MISSING
    return ("~" if dry_run else "") + iec_bytes(freed)


# -- the task table's layout, shared by every tabular view -----------------

#: Marks the highlighted row in the gutter, so it shows without colour too.
CURSOR_MARK = "▌"
_NAME_MIN = 12


class Column(NamedTuple):
    """One column of the task table."""

    key: str  # the field of a row's cells it shows
    title: str
    width: int  # 0: takes the spare width
    right: bool
    drop: int  # the order in which narrow widths drop it; 0: never


TASK_COLUMNS = (
    Column("task_id", "ID", 2, True, 0),
    Column("name", "Name", 0, False, 0),
    Column("kind", "Kind", 8, False, 1),
    Column("status", "Status", 9, False, 0),
    Column("created", "Created", 8, False, 4),
    Column("duration", "Duration", 8, True, 3),
    Column("freed", "Freed", 11, True, 5),
    Column("dry", "Dry", 3, False, 2),
)
_CREATED = {
    "relative": ("Created", 8),
    "local": ("Created (local)", 19),
    "utc": ("Created (UTC)", 20),
}


def fit(text: str, width: int, right: bool) -> str:
    """Pads or cuts text to exactly ``width`` cells, marking a cut with "…"."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"[:width]
    padding = " " * (width - length)
    return padding + text if right else text + padding


@lru_cache(maxsize=64)
def plan_columns(width: int, id_width: int, time_mode: str) -> tuple[Column, ...]:
    """Chooses the columns and their widths for a table ``width`` cells wide.

    Narrow widths drop Kind, Dry, Duration, Created and Freed in that order;
    ID, Name and Status always stay.
    """
    title, created_width = _CREATED[time_mode]
    columns = [
        col._replace(width=max(col.width, id_width))
        if col.key == "task_id"
        else col._replace(title=title, width=created_width)
        if col.key == "created"
        else col
        for col in TASK_COLUMNS
    ]

    def fixed() -> int:
        return sum(col.width + 1 for col in columns)  # each with its gap

    droppable = sorted((c for c in columns if c.drop), key=lambda c: c.drop)
    while droppable and len(CURSOR_MARK) + fixed() + _NAME_MIN > width:
        columns.remove(droppable.pop(0))
    spare = max(1, width - len(CURSOR_MARK) - fixed())
    return tuple(col if col.width else col._replace(width=spare) for col in columns)


def tail_text(state: str, rows: int, text: str, width: int) -> str:
    """The words of the line after the last loaded row.

    Args:
        state: "more", "loading", "error" or "end".
        rows: how many rows are loaded.
        text: the caller's own words (the error, for "error"); escaped here.
        width: the cells available, so a long error keeps its retry hint.
    """
    custom = safe_text(text)
    if state == "error":
        retry = " — press R to retry"
        failure = "✖ " + (custom or "loading the next page failed")
        return fit(failure, width - len(retry), False).rstrip() + retry
    if custom:
        return custom
    if state == "end":
        plural = "" if rows == 1 else "s"
        return f"— end of history: {rows:,} task{plural} —" if rows else "— no tasks —"
    if state == "loading":
        return "Loading more…" if rows else "Loading…"
    return "▼ more on the server"
