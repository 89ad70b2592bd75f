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
#: A row as one line of compact JSON, the form the JSON writers print. One
#: encoder for every row: json.dumps with arguments builds a new one per call.
encode_json = json.JSONEncoder(separators=(",", ":")).encode


class Writer:
    """Writes pages of rows to a text stream; subclasses render them."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.count = 0

    def rows(self, rows: Sequence[Row]) -> None:
        """Writes one page of rows and flushes it."""
        self._emit(self._render(rows), len(rows))

    def close(self) -> None:
        """Writes whatever ends the document (a closing bracket, say)."""
        text = self._finish()
        if text:
            self._out.write(text)
        self._out.flush()

    def _emit(self, text: str, count: int) -> None:
        self.count += count
        if text:
            self._out.write(text)
            self._out.flush()

    def _render(self, rows: Sequence[Row]) -> str:
        raise NotImplementedError

    def _finish(self) -> str:
        return ""


class JsonObjectsWriter(Writer):
    """Writes each row as a compact JSON object; the JSON formats build on it.

    Rows already in that form (a task's text as the server sent it) go in
    through :meth:`texts`, which spares encoding them again.
    """

    def texts(self, texts: Sequence[str]) -> None:
        """Writes one page of objects given as compact JSON text and flushes it.

        Each text must be one JSON object on one line, as :data:`encode_json`
        makes them.
        """
        self._emit(self._render_texts(texts), len(texts))

    def _render(self, rows: Sequence[Row]) -> str:
        return self._render_texts([encode_json(row) for row in rows])

    def _render_texts(self, texts: Sequence[str]) -> str:
        raise NotImplementedError


class JsonLinesWriter(JsonObjectsWriter):
    """One compact JSON object per line."""

    def _render_texts(self, texts: Sequence[str]) -> str:
        return "\n".join(texts) + "\n" if texts else ""


class JsonWriter(JsonObjectsWriter):
    """A JSON array, one element per line, valid once closed."""

    def _render_texts(self, texts: Sequence[str]) -> str:
        if not texts:
            return ""
        lead = "[\n  " if self.count == 0 else ",\n  "
        return lead + ",\n  ".join(texts)

    def _finish(self) -> str:
        return "\n]\n" if self.count else "[]\n"
