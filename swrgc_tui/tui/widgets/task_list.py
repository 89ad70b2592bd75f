"""The main screen's table and the search field under it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from swrgc_tui.tui.widgets.task_table import TaskTable


class TaskList(TaskTable):
    """The task table as the main screen uses it.

    Jumping to the last loaded row (G or End) also says so, so that the
    screen can offer to load the rest of the history.
    """

    # The table's own keys and ids, kept out of a crowded footer.
    BINDINGS = [
        Binding(
            "ctrl+d", "half_page(1)", "Half page down", id="half_page_down", show=False
        ),
        Binding(
            "ctrl+u", "half_page(-1)", "Half page up", id="half_page_up", show=False
        ),
    ]

    class JumpedToEnd(Message):
        """The user jumped to the last loaded row."""

    def action_cursor_last(self) -> None:
        super().action_cursor_last()
        self.post_message(self.JumpedToEnd())


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
