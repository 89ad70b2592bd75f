"""The field that searches the loaded tasks by name or id."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """Where the user types a name or id to look for; Esc closes it.

    ``last_search`` keeps the last search after the field closes, for n and N.
    """

    BINDINGS = [Binding("escape", "close", "Close search", id="search_close")]

    class Closed(Message):
        """The field closed; the focus should go back to the table."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="Search loaded tasks: name or id", id=id)
        self.last_search = ""

    def open(self) -> None:
        """Shows the field with the last search, ready to type."""
        self.display = True
        self.value = self.last_search
        self.focus()

    def action_close(self) -> None:
        """Hides the field."""
        self.display = False
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.last_search = event.value.strip()
        self.action_close()
