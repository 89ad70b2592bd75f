"""What every screen of the app shares: failures of workers go to one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from swrgc_tui.tui.app import SwrGcApp


class AppScreen(Screen[None]):
    """A screen whose workers report their failures to the app.

    Workers are started with ``exit_on_error=False``; an exception a worker
    did not handle itself ends up in :meth:`SwrGcApp.report_failure`, which
    decides how it is shown.
    """

    @property
    def swr_app(self) -> SwrGcApp:
        """The app, typed."""
        return cast("SwrGcApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.swr_app.report_failure(event.worker.error)
