"""The task table as the main screen uses it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

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
