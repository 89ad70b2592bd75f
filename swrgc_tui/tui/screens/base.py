"""What the app's full screens share: how they are first shown, and failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from swrgc_tui.tui.app import SwrGcApp


class AppScreen(Screen[None]):
    """A full screen of the app.

    The first time it is shown it keeps the styles its widgets were given as
    they mounted. Its workers are started with ``exit_on_error=False``; an
    exception a worker did not handle itself ends up in
    :meth:`SwrGcApp.report_failure`, which decides how it is shown.
    """

    _shown_once = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, ScreenResume) and not self._shown_once:
            # Shown for the first time: every widget was styled as it mounted,
            # moments ago, and restyling them all would only delay the frame.
            self._shown_once = True
            message.refresh_styles = False
        return super().post_message(message)

    @property
    def swr_app(self) -> SwrGcApp:
        """The app, typed."""
        return cast("SwrGcApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.swr_app.report_failure(event.worker.error)
