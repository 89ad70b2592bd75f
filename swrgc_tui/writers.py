"""Output formats of the headless commands, written one page at a time.

Each writer turns a page of rows (decoded JSON objects) into one string and
writes it with a single call, then flushes, so a pipe sees every page as soon
as it arrives and the cost per row stays a few string operations.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from rich.cells import cell_len

from swrgc_tui.formatting import fit, safe_text

Row = dict[str, Any]
# One encoder for every row: json.dumps with arguments builds a new one per call.
_encode_json = json.JSONEncoder(separators=(",", ":")).encode


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


class Writer:
    """Writes pages of rows to a text stream; subclasses render them."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.count = 0

    def rows(self, rows: Sequence[Row]) -> None:
        """Writes one page of rows and flushes it."""
        text = self._render(rows)
        self.count += len(rows)
        if text:
            self._out.write(text)
            self._out.flush()

    def close(self) -> None:
        """Writes whatever ends the document (a closing bracket, say)."""
        text = self._finish()
        if text:
            self._out.write(text)
        self._out.flush()

    def _render(self, rows: Sequence[Row]) -> str:
        raise NotImplementedError

    def _finish(self) -> str:
        return ""


class JsonLinesWriter(Writer):
    """One compact JSON object per line."""

    def _render(self, rows: Sequence[Row]) -> str:
        return "".join([_encode_json(row) + "\n" for row in rows])


class JsonWriter(Writer):
    """A JSON array, one element per line, valid once closed."""

    def _render(self, rows: Sequence[Row]) -> str:
        if not rows:
            return ""
        lead = "[\n  " if self.count == 0 else ",\n  "
        return lead + ",\n  ".join([_encode_json(row) for row in rows])

    def _finish(self) -> str:
        return "\n]\n" if self.count else "[]\n"


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
