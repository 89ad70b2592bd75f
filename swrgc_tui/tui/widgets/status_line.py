"""The line above the footer: what is loaded, what is loading, how fresh it is."""

from __future__ import annotations

from typing import Protocol

from rich.text import Text
from textual.widgets import Static


class ListingState(Protocol):
    """What the status line reads from the listing controller."""

    @property
    def status(self) -> str | None: ...
    @property
    def more(self) -> bool: ...
    @property
    def loading(self) -> bool: ...
    @property
    def started(self) -> bool: ...
    @property
    def error(self) -> object | None: ...

    loading_all: bool


def listing_text(listing: ListingState, loaded: int) -> str:
    """Describes the rows: how many, whether more exist, what is in flight."""
    what = f"{listing.status} tasks" if listing.status else "tasks"
    if not listing.started:
        if listing.error is not None:
            return "The first page failed · R retries"
        return f"Loading {what}…"
    count = f"{loaded:,} {what} loaded"
    if listing.loading_all:
        return f"{count} · loading everything… Esc stops"
    if listing.error is not None:
        return f"{count} · a page failed · R retries"
    if not listing.more:
        return f"{count} · that is all"
    if listing.loading:
        return f"{count} · loading more…"
    return f"{count} · more on server (L loads all)"


class StatusLine(Static):
    """One line of state: the listing on the left, the live refresh on the right."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._listing = ""
        self._live = ""
        self._shown = Text()

    @property
    def plain(self) -> str:
        """The line as plain text."""
        return f"{self._listing}  {self._live}".strip()

    def show_listing(self, listing: ListingState, loaded: int) -> None:
        """Updates the listing part."""
        self._listing = listing_text(listing, loaded)
        self._redraw()

    def show_live(self, text: str) -> None:
        """Updates the live-refresh part."""
        self._live = text
        self._redraw()

    def _redraw(self) -> None:
        line = Text(self._listing, no_wrap=True, overflow="ellipsis")
        if self._live:
            line.append(" · " if self._listing else "")
            line.append(self._live, style="italic")
        if line != self._shown:
            self._shown = line
            self.update(line, layout=False)  # one line, always: no relayout
