"""Writers of the headless commands' output, one page at a time; JSON here.

Each writer turns a page of rows (decoded JSON objects) into one string and
writes it with a single call, then flushes, so a pipe sees every page as soon
as it arrives and the cost per row stays a few string operations. The
column formats, CSV and the plain table, live in :mod:`swrgc_tui.columns`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

Row = dict[str, Any]
# One encoder for every row: json.dumps with arguments builds a new one per call.
_encode_json = json.JSONEncoder(separators=(",", ":")).encode


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
