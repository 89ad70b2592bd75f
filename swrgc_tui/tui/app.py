"""The Textual application: screens, app-wide keys, connecting, failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from swrgc_tui import collector
from swrgc_tui.api.errors import ApiError, SwrError
from swrgc_tui.formatting import safe_text
from swrgc_tui.state import UiState, save_state
from swrgc_tui.tui.pending import PendingClient
from swrgc_tui.tui.screens.home import HomeScreen
from swrgc_tui.tui.screens.main import MainScreen

# The picker, dialogs, login, help and the explaining of failures are
# imported where first used: the way from start to the first row of tasks
# stays as short as it can be.
if TYPE_CHECKING:
    from swrgc_tui.api.client import SwrClient
    from swrgc_tui.api.early import EarlyPage
    from swrgc_tui.api.models import Instance
    from swrgc_tui.config import Settings
    from swrgc_tui.credentials import Credentials
    from swrgc_tui.tui.pending import ApiClient
    from swrgc_tui.tui.problems import Problem
    from swrgc_tui.tui.screens.help import HelpRow, HelpSection

log = logging.getLogger(__name__)
#: Seconds after the app mounts by which start-up is surely over.
START_UP_SECONDS = 1.0


class SwrGcApp(App[int]):
    """Browses the GC history of SWR Enterprise instances.

    Args:
        settings: the resolved settings.
        credentials: what to call the API with; None asks for a login.
        state: what the last run remembered; updated as the user works and
            saved on exit.
        demo: the running demo emulator, when started with ``--demo``.
        clock: gives the present for relative times (tests freeze it).
    """

    TITLE = "swrgc-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("i", "instances", "Instances", id="instances"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="palette",
            priority=True,
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        credentials: Credentials | None,
        *,
        state: UiState,
        demo: object | None = None,
        clock: Callable[[], datetime] | None = None,
        early_page: EarlyPage | None = None,
    ) -> None:
        super().__init__()
        self.early_page = early_page
        """The first page, asked for at start-up; taken by the first listing."""
        self.clock = clock
        self.settings, self.credentials = settings, credentials
        self.ui_state, self.demo = state, demo
        self.client: SwrClient | None = None
        self._pending: PendingClient | None = None
        self.project_id: str | None = None
        self.instances: list[Instance] | None = None
        self._dialog_open = False
        self.sub_title = self._sub_title(None)

    def get_default_screen(self) -> Screen[None]:
        return HomeScreen()

    @property
    def home(self) -> HomeScreen:
        """The screen under all others."""
        screen = self.screen_stack[0]
        assert isinstance(screen, HomeScreen)
        return screen

    def on_mount(self) -> None:
        # Whatever the first screen is, start-up is over a moment later; the
        # main screen says so itself as soon as its first rows are drawn.
        self.set_timer(START_UP_SECONDS, collector.resume)
        self._apply_look()
        for warning in self.settings.warnings:
            self.notify(
                safe_text(warning), title="Config", severity="warning", timeout=10
            )
        self.connect()

    def _apply_look(self) -> None:
        theme = self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            names = ", ".join(sorted(self.available_themes))
            self.notify(
                f"Unknown theme “{safe_text(theme)}”; known: {names}.",
                severity="warning",
            )
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))
            self._check_keymap()

    def _check_keymap(self) -> None:
        known = {row.binding_id for row in self._help_rows() if row.binding_id}
        unknown = sorted(set(self.settings.keymap) - known)
        if unknown:
            names = ", ".join(safe_text(u) for u in unknown)
            self.notify(f"No key binding has the id: {names}.", severity="warning")

    def _sub_title(self, instance: Instance | None, instance_id: str = "") -> str:
        parts = [self.settings.profile + (" (demo)" if self.demo is not None else "")]
        if instance is not None:
            parts.append(safe_text(instance.name) or safe_text(instance.id))
        elif instance_id:
            parts.append(safe_text(instance_id))
        return " / ".join(parts)

    # -- connecting -------------------------------------------------------

    def connect(self, *, login: bool = False) -> None:
        """Opens the API client in a worker, then the first useful screen."""
        self.run_worker(
            self._connect(login), group="connect", exclusive=True, exit_on_error=False
        )

    async def _connect(self, login: bool) -> None:
        if login or self.credentials is None:
            self.home.show_status("Waiting for a login…")
            self.credentials = await self._ask_login(login) or self.credentials
            if self.credentials is None:
                from swrgc_tui.tui.problems import NO_CREDENTIALS

                self.home.show_problem(NO_CREDENTIALS, can_login=True)
                return
        await self._close_client()
        if self._show_early_page():
            return
        self.home.show_status(f"Connecting to {safe_text(self.settings.endpoint)}…")
        try:
            await self._first_screen(await self._open_client())
        except SwrError as error:
            problem = self.explain(error)
            self.home.show_problem(problem, can_login=problem.is_auth)

    def _show_early_page(self) -> bool:
        """Opens the instance of the page fetched at start-up, if there is one.

        The client is opened after the first frame, by the first request
        that needs it: that frame does not wait for the HTTP stack to load.
        """
        from swrgc_tui.connect import instance_to_open

        early, wanted = self.early_page, instance_to_open(self.settings, self.ui_state)
        status, size = self.ui_state.status_filter, self.settings.page_size
        if early is None or not wanted or not early.answers(wanted, status, size):
            return False
        self._pending = PendingClient(self._open_client)
        self.open_instance(wanted, None, client=self._pending)
        return True

    async def _open_client(self) -> SwrClient:
        from swrgc_tui.connect import open_client

        assert self.credentials is not None  # connecting needs them
        self.client, self.project_id = await open_client(
            self.settings, self.credentials
        )
        return self.client

    async def ready_client(self) -> SwrClient | None:
        """The open client; opened first if the first screen went ahead of it."""
        if self.client is None and self._pending is not None:
            await self._pending.open()
        return self.client

    async def _first_screen(self, client: SwrClient) -> None:
        from swrgc_tui.connect import instance_to_open

        wanted = instance_to_open(self.settings, self.ui_state)
        if wanted:
            self.open_instance(wanted, None)
            return
        self.home.show_status("Listing instances…")
        self.instances = await client.list_instances()
        if len(self.instances) == 1:
            self.open_instance(self.instances[0].id, self.instances[0])
        else:
            from swrgc_tui.tui.screens.instances import InstancesScreen

            self.push_screen(InstancesScreen(self.instances))

    async def _close_client(self) -> None:
        client, self.client, self._pending = self.client, None, None
        if client is not None:
            try:
                await asyncio.wait_for(client.aclose(), timeout=1.0)
            except (TimeoutError, OSError):
                log.warning("closing the HTTP client took too long")

    async def on_unmount(self) -> None:
        await self._close_client()
        if not self.settings.demo:
            self.ui_state.profile = self.settings.profile
        save_state(self.ui_state)

    # -- logins -----------------------------------------------------------

    async def _ask_login(self, expired: bool) -> Credentials | None:
        from swrgc_tui.tui.screens import login

        reason = login.TOKEN_EXPIRED if expired else login.NO_CREDENTIALS
        return await self.push_screen_wait(
            login.LoginScreen(self.settings, reason=reason)
        )

    def relogin(self) -> None:
        """Asks for a login and carries on where the user was."""
        self.run_worker(
            self._relogin(), group="login", exclusive=True, exit_on_error=False
        )

    async def _relogin(self) -> None:
        credentials = await self._ask_login(expired=True)
        self._dialog_open = False
        if credentials is None or self.client is None:
            return
        self.credentials = credentials
        self.client.auth = credentials.auth(self.project_id)
        if isinstance(self.screen, MainScreen):
            self.screen.resume_after_login()

    # -- instances --------------------------------------------------------

    def open_instance(
        self,
        instance_id: str,
        instance: Instance | None,
        *,
        client: ApiClient | None = None,
    ) -> None:
        """Shows the task list of an instance, replacing any other."""
        client = client or self.client
        if client is None:
            return
        if not self.settings.demo:  # the emulator's ids mean nothing next time
            self.ui_state.instance = instance_id
            self.ui_state.profile = self.settings.profile
        settings, early, self.early_page = self.settings, self.early_page, None
        screen = MainScreen(
            client,
            instance_id,
            instance,
            page_size=settings.page_size,
            status=self.ui_state.status_filter,
            refresh=settings.refresh,
            clock=self.clock,
            early_page=early,
        )
        self.call_later(
            self._show_alone, screen, self._sub_title(instance, instance_id)
        )

    def instance_opened(self, instance_id: str, instance: Instance) -> None:
        """Names the instance in the header once its details arrived."""
        if (
            isinstance(self.screen, MainScreen)
            and self.screen.instance_id == instance_id
        ):
            self.sub_title = self._sub_title(instance)

    def instance_missing(self, instance_id: str, error: SwrError) -> None:
        """Goes back to the picker, saying why."""
        problem = self.explain(error, instance=instance_id)
        what = problem.details[0] if problem.details else problem.title
        notice = f"{what} {problem.summary} Pick another instance."
        self.ui_state.instance = None
        from swrgc_tui.tui.screens.instances import InstancesScreen

        picker = InstancesScreen(None, notice=notice)
        self.call_later(self._show_alone, picker, self._sub_title(None))

    async def _show_alone(self, screen: Screen[None], sub_title: str) -> None:
        """Puts ``screen`` right above home, removing every other screen."""
        # Each removal is awaited: a header on a screen being removed must not
        # be told about the new title while its own parts are going away.
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.sub_title = sub_title
        await self.push_screen(screen)

    def action_instances(self) -> None:
        """Shows the instance picker."""
        from swrgc_tui.tui.screens.instances import InstancesScreen

        if self.client is None or isinstance(self.screen, InstancesScreen):
            return
        has_main = any(isinstance(s, MainScreen) for s in self.screen_stack)
        self.push_screen(InstancesScreen(self.instances, can_go_back=has_main))

    # -- failures ---------------------------------------------------------

    def explain(self, error: BaseException, *, instance: str = "") -> Problem:
        """Explains an error with what this app knows (credentials, endpoint)."""
        from swrgc_tui.tui.problems import explain

        credentials = self.credentials
        return explain(
            error,
            credentials=credentials.describe() if credentials else "",
            uses_token=credentials is not None and credentials.kind == "token",
            endpoint=self.settings.endpoint,
            instance=instance,
        )

    def report_failure(self, error: BaseException, *, instance: str = "") -> Problem:
        """The one place failures of requests and workers are shown.

        Screens show a request's failure where it happened (a tail row, a
        line in the picker); this adds what needs the user's attention: a
        dialog for rejected credentials or permissions, a notification for
        anything unexpected.
        """
        problem = self.explain(error, instance=instance)
        if problem.kind == "bug":
            log.error("unexpected failure", exc_info=error)
            self.notify(
                problem.summary, title=problem.title, severity="error", timeout=10
            )
        else:
            log.warning("%s: %s", problem.title, problem.summary)
        if self._dialog_open:
            return problem
        if isinstance(error, ApiError) and error.token_expired:
            # Only a new login fixes this, so the login comes straight back.
            self._dialog_open = True
            self.relogin()
        elif problem.is_auth or problem.is_forbidden:
            self._dialog_open = True
            from swrgc_tui.tui.screens.dialogs import ProblemScreen

            dialog = ProblemScreen(problem, can_login=True)
            self.push_screen(dialog, self._dialog_closed)
        return problem

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_failure(event.worker.error)

    def _dialog_closed(self, answer: str | None) -> None:
        self._dialog_open = False
        if answer == "login":
            self.relogin()

    # -- help and palette -------------------------------------------------

    def help_sections(self) -> list[HelpSection]:
        """The classes whose bindings the help lists, by title."""
        from swrgc_tui.tui.keys import help_sections

        return help_sections(type(self))

    def _help_rows(self) -> list[HelpRow]:
        from swrgc_tui.tui.screens.help import help_rows

        return help_rows(self.help_sections(), self.settings.keymap)

    def action_help(self) -> None:
        """Shows every key binding."""
        from swrgc_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self.settings.keymap))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Instances", "Pick another instance (i)", self.action_instances
        )
        yield SystemCommand("Help", "List every key (?)", self.action_help)
        from swrgc_tui.tui.keys import screen_commands

        yield from screen_commands(screen)


def run_tui(
    settings: Settings,
    credentials: Credentials | None,
    state: UiState,
    demo: object | None = None,
    early_page: EarlyPage | None = None,
) -> int:
    """Runs the TUI until the user quits; returns the exit code."""
    app = SwrGcApp(settings, credentials, state=state, demo=demo, early_page=early_page)
    result = app.run()
    return app.return_code if app.return_code is not None else (result or 0)
