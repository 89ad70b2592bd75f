"""Holding the cycle collector off while the program starts.

Starting the TUI imports a few hundred modules and builds a screen: tens of
thousands of objects that live as long as the program does, which the cycle
collector would otherwise walk many times over before the first frame (about
50 ms of a start-up, measured with ``gc.callbacks``). It is paused until the
first screen is up; then those objects are moved out of its sight with
``gc.freeze()`` and it runs as usual on everything made after.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """Stops collections until :func:`resume`; reference counting goes on."""
    gc.disable()


def resume() -> None:
    """Freezes what start-up made and lets collections run again; once."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
