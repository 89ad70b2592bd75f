"""The key footer: one line of keys, drawn by a single widget."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyFooter(Widget):
    """Shows the keys the focused part of the screen offers, in one line.

    Textual's own footer builds a widget per key and rebuilds them all
    whenever bindings are refreshed, which the task table does with every
    page; every widget also adds to the cost of each relayout. This footer
    is one widget that repaints when the keys it shows change. A click on a
    key presses it.
    """

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyFooter > .key-footer--disabled { color: $text-disabled; }
    """

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[tuple[str, str, str, bool]] = []  # key, shown, text, enabled
        self._hits: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        keys, seen = [], set()
        for key, (_node, binding, enabled, _tip) in screen.active_bindings.items():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown = self.app.get_key_display(binding)
                keys.append((key, shown, binding.description, enabled))
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        off_style = self.get_component_rich_style("key-footer--disabled")
        line = Text(no_wrap=True, overflow="ellipsis")
        hits: list[tuple[int, int, str]] = []
        for key, shown, text, enabled in self._keys:
            if hits:
                line.append("  ")
            start = line.cell_len
            line.append(shown, key_style if enabled else off_style)
            line.append(f" {text}", None if enabled else off_style)
            hits.append((start, line.cell_len, key))
        self._hits = hits
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hits:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
