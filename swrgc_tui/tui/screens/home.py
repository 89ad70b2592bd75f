"""The screen under all others: connecting, and what went wrong if it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from swrgc_tui.tui.screens.base import AppScreen
from swrgc_tui.tui.widgets.footer import KeyFooter
from swrgc_tui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from swrgc_tui.tui.problems import Problem


class HomeScreen(AppScreen):
    """Shows progress while connecting, or the problem that stopped it."""

    BINDINGS = [
        Binding("R", "retry", "Retry", id="home_retry"),
        Binding("l", "login", "Log in", id="home_login"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.problem: Problem | None = None
        self._can_login = False
        self._status = Text("Starting…")
        self._details = Text("")
        self._parts: tuple[Static, Static] | None = None
        self._said = False  # whether there is anything to show yet

    def compose(self) -> ComposeResult:
        # Built when there is something to say: when the first page was
        # fetched at start-up, this screen is never seen, and building and
        # styling it would only delay the first frame.
        yield from ()

    def on_mount(self) -> None:
        if self._said:
            self._build()

    def _build(self) -> None:
        status = Static(self._status, id="home-status", markup=False)
        details = Static(self._details, id="home-details", markup=False)
        self._parts = (status, details)
        title = Static(Text("swrgc-tui"), id="home-title", markup=False)
        box = Vertical(title, status, details, id="home-box")
        self.mount_all([TitleBar(), box, KeyFooter()])

    @property
    def status_text(self) -> str:
        """What the screen says right now, as plain text."""
        return f"{self._status.plain}\n{self._details.plain}".strip()

    def show_status(self, text: str) -> None:
        """Shows progress, e.g. "Connecting to https://…"."""
        self.problem = None
        self._show(Text(text), Text(""))

    def _show(self, status: Text, details: Text) -> None:
        self._status, self._details, self._said = status, details, True
        if not self.is_mounted:
            return  # on_mount builds the screen with these
        if self._parts is None:
            self._build()
        else:
            self._parts[0].update(status)
            self._parts[1].update(details)
        self.refresh_bindings()

    def show_problem(self, problem: Problem, *, can_login: bool = False) -> None:
        """Shows why connecting failed and what to do about it."""
        self.problem, self._can_login = problem, can_login
        head = Text()
        head.append(problem.title, style="bold")
        head.append("\n" + problem.summary)
        body = Text("\n".join(problem.details))
        if problem.hint:
            body.append(("\n\n" if problem.details else "") + problem.hint, "italic")
        keys = ["R retries", "q quits"] + (["l logs in"] if can_login else [])
        body.append("\n\n" + " · ".join(keys), "dim")
        self._show(head, body)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.problem is not None
        if action == "login":
            return self.problem is not None and self._can_login
        return True

    def action_retry(self) -> None:
        """Tries to connect again."""
        self.swr_app.connect()

    def action_login(self) -> None:
        """Asks for an IAM login, then connects with the token it gives."""
        self.swr_app.connect(login=True)
