"""Where the keys are gathered: the help's sections and the palette's commands."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from swrgc_tui.tui.screens.dialogs import ConfirmScreen, ProblemScreen
from swrgc_tui.tui.screens.help import HelpScreen, HelpSection
from swrgc_tui.tui.screens.home import HomeScreen
from swrgc_tui.tui.screens.instances import InstancesScreen
from swrgc_tui.tui.screens.login import LoginScreen
from swrgc_tui.tui.screens.main import MainScreen
from swrgc_tui.tui.widgets.detail import TaskDetail
from swrgc_tui.tui.widgets.search_bar import SearchBar
from swrgc_tui.tui.widgets.sidebar import StatusSidebar
from swrgc_tui.tui.widgets.task_table import TaskTable


def help_sections(app: type[App[int]]) -> list[HelpSection]:
    """The classes whose bindings the help lists, under a title each."""
    return [
        ("Everywhere", [app]),
        ("Task list", [MainScreen]),
        ("Table", [TaskTable]),
        ("Status filter (when focused)", [StatusSidebar]),
        ("Detail pane (when focused)", [TaskDetail]),
        ("Search field", [SearchBar]),
        ("Instance picker", [InstancesScreen]),
        ("Questions and errors", [ConfirmScreen, ProblemScreen]),
        ("Start screen", [HomeScreen]),
        ("Login", [LoginScreen]),
        ("This help", [HelpScreen]),
    ]


def screen_commands(screen: Screen[object]) -> Iterable[SystemCommand]:
    """Palette commands for the keys of the main screen, named as in the help.

    Built from the bindings themselves, so the palette and the keys always
    offer the same actions.
    """
    if not isinstance(screen, MainScreen):
        return
    for binding in MainScreen.BINDINGS:
        assert isinstance(binding, Binding)
        action = partial(screen.run_action, binding.action)
        yield SystemCommand(binding.description, f"Key: {binding.key}", action)
