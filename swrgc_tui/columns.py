"""Column formats of the headless commands: CSV and an aligned plain table.

Kept apart from the JSON writers so that ``--format jsonl``, the common and
benchmarked case, never loads the display formatting it does not use.
``table`` is meant for a terminal: every value the server sent is stripped
of escape sequences and control characters. CSV keeps the text as data,
cleaning it only when it goes straight to a terminal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from rich.cells import cell_len

from swrgc_tui.api.tasks import ACTIVE_STATUSES, parse_timestamp
from swrgc_tui.formatting import fit, freed_text, local_time, run_time, safe_text
from swrgc_tui.writers import Writer

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a CSV file or of a plain-text table.

    Attributes:
        title: the header.
        value: the cell's text for a row.
        cap: in a table, the widest the column may grow; longer cells are cut
            with an ellipsis. 0 means never cut (ids).
        right: in a table, align to the right (numbers).
    """

    title: str
    value: Callable[[Row], str]
    cap: int = 0
    right: bool = False


class CsvWriter(Writer):
    """CSV with a header line; cells are cleaned only when going to a terminal."""

    def __init__(
        self, out: TextIO, columns: Sequence[Column], *, sanitize: bool
    ) -> None:
        super().__init__(out)
        self._columns = columns
        self._sanitize = sanitize
        self._header_done = False

    def _render(self, rows: Sequence[Row]) -> str:
        buffer = io.StringIO()
        sheet = csv.writer(buffer, lineterminator="\n")
        if not self._header_done:
            sheet.writerow([column.title for column in self._columns])
            self._header_done = True
        clean = safe_text if self._sanitize else str
        for row in rows:
            sheet.writerow([clean(column.value(row)) for column in self._columns])
        return buffer.getvalue()

    def _finish(self) -> str:
        return "" if self._header_done else self._render([])


class TableWriter(Writer):
    """An aligned plain-text table; the first page sets the column widths.

    Later pages cannot widen a column already on screen, so their longer
    cells are cut (ids never are: a misaligned id beats a wrong one).
    """

    def __init__(self, out: TextIO, columns: Sequence[Column]) -> None:
        super().__init__(out)
        self._columns = columns
        self._widths: list[int] | None = None

    def _render(self, rows: Sequence[Row]) -> str:
        cells = [[column.value(row) for column in self._columns] for row in rows]
        lines = []
        if self._widths is None:
            self._widths = self._measure(cells)
            lines.append(self._line([column.title for column in self._columns]))
        lines.extend(self._line(row) for row in cells)
        return "\n".join(lines) + "\n" if lines else ""

    def _finish(self) -> str:
        return "" if self._widths is not None else self._render([])

    def _measure(self, cells: list[list[str]]) -> list[int]:
        widths = []
        for index, column in enumerate(self._columns):
            width = max([cell_len(column.title)] + [cell_len(r[index]) for r in cells])
            widths.append(min(width, column.cap) if column.cap else width)
        return widths

    def _line(self, cells: Sequence[str]) -> str:
        assert self._widths is not None
        parts = []
        for column, width, text in zip(self._columns, self._widths, cells, strict=True):
            if column.cap or cell_len(text) <= width:
                text = fit(text, width, column.right)
            parts.append(text)
        return "  ".join(parts).rstrip()


def _params(task: Row) -> Row:
    params = task.get("job_parameters")
    return params if isinstance(params, dict) else {}


def _number(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _yes(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text == "true" else False if text == "false" else None


def _duration(task: Row) -> str:
    created = parse_timestamp(task.get("creation_time"))
    updated = parse_timestamp(task.get("update_time"))
    active = task.get("job_status") in ACTIVE_STATUSES
    return run_time(created, updated, active, datetime.now(UTC))


def _when(value: object) -> str:
    moment = parse_timestamp(value)
    return local_time(moment) if moment else "—"


def _freed(task: Row) -> str:
    params = _params(task)
    freed = _number(params.get("freed_space"))
    return freed_text(freed, bool(_yes(params.get("dry_run"))))


def _dry_run(task: Row) -> str:
    flag = _yes(_params(task).get("dry_run"))
    return "—" if flag is None else "yes" if flag else "no"


def _text(key: str) -> Callable[[Row], str]:
    return lambda row: safe_text(str(row.get(key) or ""))


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _param(key: str) -> Callable[[Row], str]:
    return lambda row: _csv_value(_params(row).get(key))


def _field(key: str) -> Callable[[Row], str]:
    return lambda row: _csv_value(row.get(key))


TASK_TABLE = (
    Column("ID", _field("id"), cap=0, right=True),
    Column("NAME", _text("job_name"), cap=40),
    Column("KIND", _text("job_kind"), cap=8),
    Column("STATUS", _text("job_status"), cap=10),
    Column("CREATED", lambda row: _when(row.get("creation_time")), cap=19),
    Column("DURATION", _duration, cap=10, right=True),
    Column("FREED", _freed, cap=12, right=True),
    Column("DRY-RUN", _dry_run, cap=7),
)
_PARAMS = ("delete_untagged", "workers", "dry_run", "purged_blobs", "purged_manifests")
TASK_CSV = (
    *(Column(key, _field(key)) for key in ("id", "job_name", "job_kind", "job_status")),
    Column("creation_time", _field("creation_time")),
    Column("update_time", _field("update_time")),
    *(Column(key, _param(key)) for key in (*_PARAMS, "freed_space")),
    Column("job_parameters_error", _field("job_parameters_error")),
    Column(
        "job_parameters_raw",
        lambda row: row["job_parameters"] if "job_parameters_error" in row else "",
    ),
)
INSTANCE_TABLE = (
    Column("ID", _field("id"), cap=0),
    Column("NAME", _text("name"), cap=30),
    Column("STATUS", _text("status"), cap=12),
    Column("SPEC", _text("spec"), cap=22),
    Column("VERSION", _text("version"), cap=12),
    Column("CREATED", lambda row: _when(row.get("created_at")), cap=19),
    Column("ACCESS ADDRESS", _text("access_address")),
)


def task_writer(fmt: str, out: TextIO) -> Writer:
    """The CSV or table writer of GC tasks."""
    if fmt == "csv":
        return CsvWriter(out, TASK_CSV, sanitize=out.isatty())
    return TableWriter(out, TASK_TABLE)


def instance_writer(fmt: str, out: TextIO) -> Writer:
    """The CSV (every field) or table writer of instances."""
    if fmt == "csv":
        from swrgc_tui.api.models import Instance

        every = tuple(Column(name, _field(name)) for name in Instance.model_fields)
        return CsvWriter(out, every, sanitize=out.isatty())
    return TableWriter(out, INSTANCE_TABLE)
