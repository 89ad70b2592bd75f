"""The title line at the top of every screen."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TitleBar(Widget):
    """One line with the app's title and sub-title (profile / instance).

    A single widget that repaints when either changes: lighter than
    Textual's header, which holds several widgets and looks them up again
    on every change, even while the screen it is on is being removed.
    """

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        text-align: center;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._changed, init=False)
        self.watch(self.app, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        line = Text(self.app.title, style="bold", justify="center", no_wrap=True)
        if self.app.sub_title:
            line.append(f" — {self.app.sub_title}")
        return line
