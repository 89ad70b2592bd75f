"""Small modal dialogs: a yes/no question and an explained failure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from swrgc_tui.tui.problems import Problem

Answer = TypeVar("Answer")

#: A modal screen hides the app's own keys; this keeps q quitting on every one.
QUIT_HERE_TOO = Binding("q", "app.quit", "Quit", show=False, id="quit")


class DialogScreen(ModalScreen[Answer]):
    """What the dialogs share: a box in the middle of the screen."""

    # Here rather than in the app's stylesheet: parsed the first time a
    # dialog opens, not at every start.
    DEFAULT_CSS = """
    DialogScreen { align: center middle; }
    DialogScreen .dialog-box {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        padding: 1 2; background: $surface; border: thick $primary;
    }
    DialogScreen .dialog-box.problem { border: thick $error; }
    DialogScreen .dialog-title { text-style: bold; margin-bottom: 1; }
    DialogScreen .dialog-line { margin-bottom: 1; }
    DialogScreen .dialog-code { color: $text-muted; margin-bottom: 1; max-height: 6; }
    DialogScreen .dialog-hint { text-style: italic; margin-bottom: 1; }
    DialogScreen .dialog-buttons { height: auto; align-horizontal: right; }
    DialogScreen .dialog-buttons Button { margin-left: 1; }
    """


class ConfirmScreen(DialogScreen[bool]):
    """Asks a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
        QUIT_HERE_TOO,
    ]

    def __init__(
        self, title: str, lines: Sequence[str], *, yes: str = "Yes", no: str = "No"
    ) -> None:
        super().__init__()
        self._title, self._lines = title, tuple(lines)
        self._yes, self._no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self._title), classes="dialog-title", markup=False)
            for line in self._lines:
                yield Static(Text(line), classes="dialog-line", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._yes} (y)", id="yes", variant="primary")
                yield Button(f"{self._no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Closes the dialog with the given answer."""
        self.dismiss(answer)


class ProblemScreen(DialogScreen[str]):
    """Explains a failure; dismisses with "login" when the user asks for one.

    Any other way out dismisses with "close".
    """

    BINDINGS = [
        Binding("escape,enter", "close", "Close", id="problem_close"),
        Binding("l", "login", "Log in", id="problem_login"),
        Binding("c", "copy", "Copy encoded message", id="problem_copy"),
        QUIT_HERE_TOO,
    ]

    def __init__(self, problem: Problem, *, can_login: bool = False) -> None:
        super().__init__()
        self.problem = problem
        self._can_login = can_login and problem.offer_login

    def compose(self) -> ComposeResult:
        problem = self.problem
        with Vertical(classes="dialog-box problem"):
            yield Static(Text(problem.title), classes="dialog-title", markup=False)
            yield Static(Text(problem.summary), classes="dialog-line", markup=False)
            for line in problem.details:
                yield Static(Text(line), classes="dialog-line", markup=False)
            if problem.copyable:
                yield Static(
                    Text(problem.copyable), classes="dialog-code", markup=False
                )
            if problem.hint:
                yield Static(Text(problem.hint), classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self._can_login:
                    yield Button("Log in (l)", id="login", variant="primary")
                if problem.copyable:
                    yield Button("Copy message (c)", id="copy")
                yield Button("Close (Esc)", id="close")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "login":
            return self._can_login
        if action == "copy":
            return bool(self.problem.copyable)
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.dismiss("login" if event.button.id == "login" else "close")

    def action_close(self) -> None:
        """Closes the dialog."""
        self.dismiss("close")

    def action_login(self) -> None:
        """Closes the dialog asking for a login."""
        self.dismiss("login")

    def action_copy(self) -> None:
        """Copies the encoded authorization message (OSC 52)."""
        self.app.copy_to_clipboard(self.problem.copyable)
        self.notify("Encoded authorization message copied.")
