"""Connects the live refresher to the main screen: repaints, notices, pause."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from swrgc_tui.api.tasks import GcTask
from swrgc_tui.formatting import freed_text, local_time, safe_text, status_symbol
from swrgc_tui.tui.listing import error_line

if TYPE_CHECKING:
    from swrgc_tui.tui.live import LiveRefresher, LiveUpdate
    from swrgc_tui.tui.screens.main import MainScreen

#: Worker group of the refresh loop; one loop per main screen.
LIVE_GROUP = "live"


def finished_text(task: GcTask) -> str:
    """The notice for a run that ended: its status and what it freed."""
    params = task.job_parameters
    freed = freed_text(params.freed_space, bool(params.dry_run)) if params else "—"
    name, status = safe_text(task.job_name), status_symbol(task.job_status)
    return f"GC run {task.id} {name} ended: {status}, freed {freed}"


class LiveLink:
    """Runs a :class:`LiveRefresher` for the main screen and shows what it does.

    The loop starts once the first page of a listing has arrived (until then
    the pager is doing the same work) and follows the screen's filter.
    """

    def __init__(self, screen: MainScreen, interval: float, page_size: int) -> None:
        self._screen = screen
        self._interval = interval
        self._page_size = page_size
        self.refresher: LiveRefresher | None = None
        self._last_update: LiveUpdate | None = None

    @property
    def available(self) -> bool:
        """False when automatic refresh is turned off (interval 0)."""
        return self._interval > 0

    @property
    def needs_login(self) -> bool:
        """True when refreshing stopped on an expired token."""
        return self.refresher is not None and self.refresher.needs_login

    @property
    def paused(self) -> bool:
        """True while the user has paused the refresh."""
        return self.refresher is not None and self.refresher.paused

    def listing_ready(self) -> None:
        """Starts the loop after the first page arrived, once per screen.

        It starts after the frame that shows those rows: its first round is
        an interval away anyway, and the rows should not wait for it.
        """
        if self.refresher is not None or not self.available:
            self._screen.show_live_state(self.state_text())
            return
        self._screen.call_after_refresh(self._start)

    def _start(self) -> None:
        if self.refresher is not None:
            return  # the listing was ready again before the loop started
        from swrgc_tui.tui.live import LiveRefresher

        screen = self._screen
        self.refresher = LiveRefresher(
            screen.client,
            screen.instance_id,
            screen.store,
            status=screen.listing.status,
            interval=self._interval,
            page_size=self._page_size,
            on_update=self._updated,
        )
        screen.run_worker(
            self.refresher.run(), group=LIVE_GROUP, exclusive=True, exit_on_error=False
        )
        screen.show_live_state(self.state_text())

    def retarget(self, instance_id: str, status: str | None) -> None:
        """Follows a new filter; rounds of the old one are dropped."""
        if self.refresher is not None:
            self.refresher.retarget(instance_id, status)

    def toggle_pause(self) -> None:
        """Pauses or resumes refreshing; says which."""
        if self.refresher is None:
            return
        self.refresher.paused = not self.refresher.paused
        word = "paused" if self.refresher.paused else "resumed"
        self._screen.notify(f"Auto refresh {word}.")
        self._screen.show_live_state(self.state_text())

    def resume(self) -> None:
        """Polls again after a new login."""
        if self.refresher is not None:
            self.refresher.resume()
            self._screen.show_live_state(self.state_text())

    def state_text(self) -> str:
        """How fresh the rows are, for the status line."""
        if not self.available:
            return "auto refresh off"
        refresher, update = self.refresher, self._last_update
        if refresher is None:
            return ""
        if refresher.needs_login:
            return "refresh stopped: l logs in again"
        if refresher.paused:
            return "refresh paused (p)"
        if update is not None and update.error is not None:
            wait = update.backing_off_for
            retry = f", next try in {wait:.0f}s" if wait else ""
            return f"refresh failing: {error_line(update.error)}{retry}"
        if refresher.last_refresh is not None:
            return f"refreshed {local_time(refresher.last_refresh)[11:]} · p pauses"
        return f"refresh every {self._interval:g}s · p pauses"

    def _updated(self, update: LiveUpdate) -> None:
        self._last_update = update
        screen = self._screen
        if update.changed:
            screen.rows_updated(update.inserted_at_top, update.updated_ids)
        for task in update.finished:
            severity: SeverityLevel = (
                "error" if task.job_status == "Error" else "information"
            )
            screen.notify(finished_text(task), severity=severity, timeout=8)
        if update.needs_login and update.error is not None:
            screen.swr_app.report_failure(update.error, instance=screen.instance_id)
        screen.show_live_state(self.state_text())
