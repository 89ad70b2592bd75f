"""Lines of Rich text drawn as strips by the widgets that draw line by line."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_strip(line: Text, console: Console, base: Style, width: int) -> Strip:
    """One line of text as a strip ``width`` cells wide, drawn over ``base``.

    Rich leaves a line's own style out when the line has no spans; it goes
    under the spans here, as it would on a console.
    """
    own = console.get_style(line.style)
    strip = Strip(line.render(console)).apply_style(base + own)
    return strip.crop_extend(0, width, base)
