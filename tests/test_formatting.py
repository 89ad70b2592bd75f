"""What the formatting helpers print for sizes, times, statuses and odd text."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from swrgc_tui import formatting as fmt

MOMENT = datetime(2024, 1, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (None, "—"),
        (0, "0 B"),
        (1, "1 B"),
        (1023, "1023 B"),
        (1024, "1.0 KiB"),
        (1536, "1.5 KiB"),
        (1024**2 - 1, "1.0 MiB"),  # would round to "1024.0 KiB"
        (int(12.34 * 1024**3), "12.3 GiB"),
        (5 * 1024**4, "5.0 TiB"),
        (3 * 1024**5, "3.0 PiB"),
        (2048 * 1024**5, "2048.0 PiB"),
        (-2048, "-2.0 KiB"),
    ],
)
def test_iec_bytes(n: int | None, text: str) -> None:
    assert fmt.iec_bytes(n) == text


def test_exact_bytes_groups_thousands() -> None:
    assert fmt.exact_bytes(1_234_567) == "1,234,567 bytes"
    assert fmt.exact_bytes(1) == "1 byte"
    assert fmt.exact_bytes(0) == "0 bytes"
    assert fmt.exact_bytes(None) == "—"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (-5, "—"),
        (0, "0s"),
        (45.9, "45s"),
        (185, "3m 05s"),
        (2 * 3600 + 65, "2h 01m"),
        (3 * 86400 + 4 * 3600, "3d 04h"),
    ],
)
def test_duration(seconds: float | None, text: str) -> None:
    assert fmt.duration(seconds) == text


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=-42), "42s ago"),
        (timedelta(minutes=-5, seconds=-59), "5m ago"),
        (timedelta(minutes=3), "in 3m"),
        (timedelta(hours=-7), "7h ago"),
        (timedelta(days=-2, hours=-23), "2d ago"),
        (timedelta(days=-800), "2y ago"),
    ],
)
def test_relative_time(offset: timedelta, text: str) -> None:
    assert fmt.relative_time(MOMENT + offset, MOMENT) == text


@pytest.fixture
def restore_tz() -> Iterator[None]:
    saved = os.environ.get("TZ")
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.mark.usefixtures("restore_tz")
def test_local_time_follows_a_changed_tz() -> None:
    os.environ["TZ"] = "Asia/Shanghai"
    assert fmt.local_time(MOMENT) == "2024-01-20 18:00:00"
    os.environ["TZ"] = "America/New_York"
    assert fmt.local_time(MOMENT) == "2024-01-20 05:00:00"
    os.environ["TZ"] = "UTC"
    assert fmt.local_time(MOMENT) == "2024-01-20 10:00:00"


def test_utc_time_converts_other_zones() -> None:
    beijing = MOMENT.astimezone(timezone(timedelta(hours=8)))
    assert fmt.utc_time(beijing) == "2024-01-20 10:00:00Z"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("gc-nightly", "gc-nightly"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),  # OSC 52 would write the clipboard
        ("a\x1b]0;title\x1b\\b", "ab"),
        ("\x9b31mx", "x"),
        ("bell\x07 del\x7f nul\x00", "bell del nul"),
        ("two\nlines\tand\ttabs\r", "two lines and tabs "),
        ("\x1bc reset", " reset"),
        ("abc\u202edcba", "abcdcba"),
        ("[bold]x[/]", "[bold]x[/]"),  # markup is Rich's business, not a control
        ("垃圾回收 ✔ émoji 🚀", "垃圾回收 ✔ émoji 🚀"),
    ],
)
def test_safe_text(raw: str, clean: str) -> None:
    assert fmt.safe_text(raw) == clean


def test_safe_text_leaves_printable_text_alone_because_it_takes_none_of_it() -> None:
    # safe_text returns printable text as it is, unsearched; that holds only
    # while every character its patterns take out is one Python calls
    # unprintable.
    everything = "".join(map(chr, range(0x110000)))
    for pattern in (fmt._CONTROLS, fmt._BLANKS, fmt._ESCAPES):
        taken = {match[0] for match in re.finditer(pattern, everything)}
        assert taken and not any(text.isprintable() for text in taken)
    assert fmt.safe_text("\u200bzero\u00a0width") == "\u200bzero\u00a0width"


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("Success", "✔ Success"),
        ("Running", "● Running"),
        ("Pending", "… Pending"),
        ("Stopped", "■ Stopped"),
        ("Error", "✖ Error"),
        ("Cancelled", "? Cancelled"),
        ("", "? unknown"),
        ("\x1b[5mBlink", "? Blink"),
    ],
)
def test_status_symbol_reads_without_colour(status: str, text: str) -> None:
    assert fmt.status_symbol(status) == text


def test_cells_of_a_run() -> None:
    later = MOMENT + timedelta(minutes=3, seconds=5)
    assert fmt.moment_text(MOMENT, "utc", later) == "2024-01-20 10:00:00Z"
    assert fmt.moment_text(MOMENT, "relative", later) == "3m ago"
    assert fmt.moment_text(None, "local", later) == "—"
    assert fmt.run_time(MOMENT, later, False, later) == "3m 05s"
    assert fmt.run_time(MOMENT, None, True, later) == "3m 05s…"
    assert fmt.run_time(MOMENT, None, False, later) == "—"
    assert fmt.freed_text(3 * 1024**3, True) == "~3.0 GiB"
    assert fmt.freed_text(None, True) == "—"


@pytest.mark.parametrize(
    ("text", "width", "right", "fitted"),
    [
        ("abc", 5, False, "abc  "),
        ("abc", 5, True, "  abc"),
        ("abcdef", 4, False, "abc…"),
        ("垃圾回收任务", 7, False, "垃圾回…"),
        ("abc", 1, False, "…"),
        ("abc", 0, False, ""),
    ],
)
def test_fit(text: str, width: int, right: bool, fitted: str) -> None:
    assert fmt.fit(text, width, right) == fitted


def test_plan_columns_drops_optional_columns_as_width_shrinks() -> None:
    def keys(width: int) -> list[str]:
        return [col.key for col in fmt.plan_columns(width, 6, "relative")]

    everything = ["task_id", "name", "kind", "status", "created", "duration"]
    assert keys(100) == [*everything, "freed", "dry"]
    assert "kind" not in keys(70) and "freed" in keys(70)
    assert keys(45) == ["task_id", "name", "status", "freed"]
    assert keys(20) == ["task_id", "name", "status"]
    for width in (100, 70, 45):
        total = sum(col.width + 1 for col in fmt.plan_columns(width, 6, "relative"))
        assert total + len(fmt.CURSOR_MARK) == width


def test_plan_columns_sizes_created_by_time_mode() -> None:
    created = {
        mode: next(c for c in fmt.plan_columns(120, 4, mode) if c.key == "created")
        for mode in fmt.TIME_MODES
    }
    assert created["relative"].width == 8
    assert created["local"].title == "Created (local)"
    assert created["utc"].width == len("2024-01-20 10:00:00Z")


def test_tail_text() -> None:
    assert fmt.tail_text("end", 1234, "", 80) == "— end of history: 1,234 tasks —"
    assert fmt.tail_text("end", 1, "", 80) == "— end of history: 1 task —"
    assert fmt.tail_text("end", 0, "", 80) == "— no tasks —"
    assert fmt.tail_text("loading", 10, "", 80) == "Loading more…"
    assert fmt.tail_text("more", 10, "", 80) == "▼ more on the server"
    long_error = fmt.tail_text("error", 10, "E" * 200 + "\x1b[2J", 60)
    assert long_error.endswith("… — press R to retry")
    assert len(long_error) <= 60 and "\x1b" not in long_error
