"""The floor of the first-row figure: the least a Textual app can show.

One line of text and nothing else, started the same way swrgc-tui is; the
time it takes to appear is what any Textual program pays before it can
draw anything of its own.
"""

from textual.app import App, ComposeResult
from textual.widgets import Static

READY_TEXT = "floor-app-ready"


class FloorApp(App[None]):
    """An app that paints a single line."""

    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT)


if __name__ == "__main__":
    FloorApp().run()
