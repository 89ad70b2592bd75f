"""The help screen: every key binding, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from swrgc_tui.tui.screens.dialogs import QUIT_HERE_TOO

PACKAGE = __name__.split(".", 1)[0]
#: A titled group of classes whose bindings are listed together.
HelpSection = tuple[str, Sequence[type[DOMNode]]]


@dataclass(frozen=True)
class HelpRow:
    """One line of help: the keys, what they do, and the binding's id."""

    section: str
    keys: tuple[str, ...]
    description: str
    binding_id: str | None


def declared_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings swrgc-tui itself gives a class, one per key.

    Bindings the class inherits from Textual (text editing in a field,
    scrolling) are left out, except other keys for one of these actions,
    such as ``ctrl+q`` beside ``q`` for quitting.
    """
    own = [
        binding
        for base in reversed(cls.__mro__)
        if base.__module__.startswith(f"{PACKAGE}.")
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", []))
    ]
    actions = {binding.action for binding in own}
    inherited = [b for _key, b in cls._merged_bindings or [] if b.action in actions]
    return own + [b for b in inherited if b not in own]


def _keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    if binding.id and binding.id in keymap:
        return [key.strip() for key in keymap[binding.id].split(",")]
    return [binding.key]


def help_rows(
    sections: Sequence[HelpSection], keymap: Mapping[str, str]
) -> list[HelpRow]:
    """Collects the bindings of each section, keys merged per action.

    Args:
        sections: titled groups of widget, screen or app classes.
        keymap: the user's remapping (binding id to keys), applied here just
            as Textual applies it to the live bindings.

    Returns:
        One row per distinct action and description, in declaration order.
    """
    rows: list[HelpRow] = []
    for title, classes in sections:
        grouped: dict[tuple[str, str], list[str]] = {}
        ids: dict[tuple[str, str], str | None] = {}
        for cls in classes:
            for binding in declared_bindings(cls):
                if binding.system or not binding.description:
                    continue
                slot = (binding.action, binding.description)
                keys = grouped.setdefault(slot, [])
                keys += [k for k in _keys_of(binding, keymap) if k not in keys]
                ids[slot] = ids.get(slot) or binding.id
        rows += [
            HelpRow(title, tuple(keys), description, ids[(action, description)])
            for (action, description), keys in grouped.items()
        ]
    return rows


_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}


def key_label(key: str) -> str:
    """A key as people write it: ``ctrl+d`` → ``Ctrl+d``, ``slash`` → ``/``."""
    if key in _NAMES:
        return _NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key_label(key[5:])
    return key


class HelpScreen(ModalScreen[None]):
    """Lists every key binding of the app, its screens and its widgets."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-body {
        width: 76; max-width: 100%; height: 90%; padding: 0 2;
        background: $surface; border: thick $primary;
    }
    """

    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close help", id="help_close"),
        QUIT_HERE_TOO,
    ]

    def __init__(self, sections: Sequence[HelpSection], keymap: Mapping[str, str]):
        super().__init__()
        self.rows = help_rows(sections, keymap)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def _table(self) -> Table:
        table = Table(
            title="Keys", title_style="bold", box=None, show_header=False, expand=True
        )
        table.add_column(no_wrap=True, style="bold", min_width=14)
        table.add_column(ratio=1)
        section = ""
        for row in self.rows:
            if row.section != section:
                section = row.section
                table.add_row(Text(""), Text(""))
                table.add_row(Text(section, style="underline"), Text(""))
            keys = ", ".join(key_label(k) for k in row.keys)
            table.add_row(Text(keys), Text(row.description))
        table.add_row(
            Text(""), Text("Esc or ? closes this help; q quits.", style="dim")
        )
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
