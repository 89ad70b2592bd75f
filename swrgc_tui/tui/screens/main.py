"""The main screen: status filter, task table, detail pane and status line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Input

from swrgc_tui import collector
from swrgc_tui.api.errors import ApiError, NotFoundError, SwrError
from swrgc_tui.tui.listing import ListingController
from swrgc_tui.tui.live_link import LiveLink
from swrgc_tui.tui.screens.task_view import TaskView
from swrgc_tui.tui.store import TaskStore
from swrgc_tui.tui.widgets.detail import TaskDetail
from swrgc_tui.tui.widgets.footer import KeyFooter
from swrgc_tui.tui.widgets.sidebar import (
    FILTERS,
    StatusCounts,
    StatusSidebar,
    filter_index,
)
from swrgc_tui.tui.widgets.status_line import StatusLine
from swrgc_tui.tui.widgets.task_list import TaskList
from swrgc_tui.tui.widgets.task_table import TaskTable
from swrgc_tui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from swrgc_tui.api.early import EarlyPage
    from swrgc_tui.api.models import Instance
    from swrgc_tui.tui.pending import ApiClient

#: Below this width the sidebar becomes a bar and the detail pane goes below.
NARROW_WIDTH = 100
#: From this width on, the detail pane sits beside the table.
WIDE_WIDTH = 140
#: Shortest pause between two redraws of the detail pane while keys repeat.
DETAIL_COOLDOWN = 0.05
#: A listing still waiting for its first page this long says so in the pane.
LOADING_NOTE_AFTER = 0.3


def _key(key: str, action: str, text: str, id: str, show: bool = False) -> Binding:
    return Binding(key, action, text, id=id, show=show)


class MainScreen(TaskView):
    """Browses the GC history of one instance.

    Args:
        client: the API client.
        instance_id: the instance whose history is shown.
        instance: its details, when already known (the picker knows them).
        page_size: tasks per page request.
        status: the status filter to start with (None lists every status).
        refresh: seconds between live refreshes; 0 turns them off.
        clock: gives the present (tests freeze it).
    """

    BINDINGS = [
        *(
            _key(f.key, f"filter({i})", f"Show {f.label}", f"filter_{i}")
            for i, f in enumerate(FILTERS)
        ),
        _key("tab", "app.focus_next", "Next pane", "focus_next"),
        _key("shift+tab", "app.focus_previous", "Previous pane", "focus_previous"),
        _key("r", "refresh", "Refresh", "refresh", show=True),
        _key("slash", "search", "Search", "search", show=True),
        _key("n", "search_step(True)", "Next match", "search_next"),
        _key("N", "search_step(False)", "Previous match", "search_previous"),
        _key("L", "load_all", "Load all", "load_all"),
        _key("escape", "stop_loading", "Stop loading", "stop_loading", show=True),
        _key("R", "retry", "Retry page", "retry"),
        _key("d", "toggle_detail", "Detail", "toggle_detail", show=True),
        _key("v", "toggle_raw", "JSON view", "toggle_json"),
        _key("t", "cycle_time", "Times", "time_mode", show=True),
        _key("p", "toggle_pause", "Pause refresh", "pause"),
        _key("l", "log_in", "Log in", "log_in", show=True),
        _key("y", "copy_id", "Copy id", "copy_id"),
        _key("Y", "copy_json", "Copy as JSON", "copy_json"),
    ]
    # The table, not the first focusable widget (the sidebar): focusing one
    # and then the other would restyle both before the first frame.
    AUTO_FOCUS = "#tasks"

    def __init__(
        self,
        client: ApiClient,
        instance_id: str,
        instance: Instance | None,
        *,
        page_size: int = 100,
        status: str | None = None,
        refresh: float = 0.0,
        clock: Callable[[], datetime] | None = None,
        early_page: EarlyPage | None = None,
    ) -> None:
        super().__init__()
        self.client, self.instance_id, self.instance = client, instance_id, instance
        self._instance_asked = False
        self.clock = clock or (lambda: datetime.now(UTC))
        self.store = TaskStore()
        self.table = TaskList(self.store, clock=self.clock, id="tasks")
        self.detail = TaskDetail(id="detail")
        self.sidebar = StatusSidebar(id="sidebar")
        self.status_line = StatusLine(id="status-line")
        self.listing = ListingController(
            self,
            client,
            instance_id,
            self.store,
            self.table,
            page_size=page_size,
            on_change=self._listing_changed,
            on_failure=self._listing_failed,
        )
        self.live = LiveLink(self, refresh, page_size)
        self.listing.prefetch(status, early_page)
        self._counts = StatusCounts()
        self._detail_timer: Timer | None = None
        self._detail_pending = False
        # Laid out for the terminal now: the same classes set after mounting
        # would restyle every widget of the screen a second time.
        self._fit(self.app.size.width)

    def compose(self) -> ComposeResult:
        # One level, no containers: each one is a widget more to style, lay
        # out and paint before the first row shows. The stylesheet sets which
        # part takes which edge; this order is the order they take them in,
        # and the order Tab visits the panes in.
        yield TitleBar()
        yield KeyFooter()
        yield self.status_line
        yield self.sidebar
        yield self.table
        yield self.detail

    def on_mount(self) -> None:
        state = self.swr_app.ui_state
        self.table.time_mode = self.detail.time_mode = state.time_mode
        self.detail.raw, self.detail.display = state.raw_json, state.show_detail
        self._select_filter(self.listing.status)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Lays the screen out for a terminal ``width`` cells wide."""
        self.set_class(width < NARROW_WIDTH, "-narrow")
        self.set_class(width >= WIDE_WIDTH, "-wide")
        self.sidebar.bar = width < NARROW_WIDTH

    def _name_the_instance(self) -> None:
        """Reads the instance's details for the header, once, after the first
        rows are on screen: the name can wait, the rows should not."""
        if self.instance is None and not self._instance_asked:
            self._instance_asked = True
            self.run_worker(self._read_instance(), exit_on_error=False)

    async def _read_instance(self) -> None:
        try:
            self.instance = await self.client.show_instance(self.instance_id)
        except SwrError:
            return  # the listing meets the same failure and says more about it
        self.swr_app.instance_opened(self.instance_id, self.instance)

    # -- the listing ------------------------------------------------------

    def _select_filter(self, status: str | None) -> None:
        self.sidebar.active = filter_index(status)
        self.swr_app.ui_state.status_filter = status
        self.live.retarget(self.instance_id, status)
        self.listing.start(status)
        # Redrawing the pane costs a relayout: a quick answer replaces it anyway.
        self.set_timer(LOADING_NOTE_AFTER, lambda: self._still_loading(status))

    def _still_loading(self, status: str | None) -> None:
        listing = self.listing
        if listing.status == status and not listing.started and listing.loading:
            self.detail.show_message("Loading…")

    def _listing_changed(self) -> None:
        listing = self.listing
        if not listing.loading and not self.store:
            self.detail.show_message(self._empty_text())
        elif self.detail.shown_task is None:
            self.show_detail()
        self._update_counts()
        self.table.stale = listing.stale
        self.detail.show_notice(self._failure_notice())
        self.status_line.show_listing(listing, len(self.store))
        if listing.started:
            self.live.listing_ready()
            self.call_after_refresh(self._name_the_instance)
            self.call_after_refresh(collector.resume)

    def _listing_failed(self, error: SwrError) -> None:
        if isinstance(error, NotFoundError) and not self.store:
            self.swr_app.instance_missing(self.instance_id, error)
        else:
            self.swr_app.report_failure(error, instance=self.instance_id)

    def _failure_notice(self) -> str:
        error = self.listing.error
        if error is None or not self.store:
            return ""  # with no rows the pane explains the failure itself
        summary = self.swr_app.explain(error, instance=self.instance_id).summary
        return f"⚠ The next page failed: {summary}. R retries."

    def _empty_text(self) -> str:
        error = self.listing.error
        if error is not None:
            problem = self.swr_app.explain(error, instance=self.instance_id)
            lines = [
                "The first page could not be loaded.",
                problem.summary,
                problem.hint,
            ]
            return "\n".join([*filter(None, lines), "R retries."])
        status = self.listing.status
        return f"No {status} GC runs." if status else "No GC runs on this instance."

    def _update_counts(self) -> None:
        listing, store = self.listing, self.store
        if not listing.started:
            return  # keep what the sidebar knew until the first page arrives
        labels = self._counts.update(
            listing.status, store.status_counts(), len(store), listing.more
        )
        self.sidebar.set_counts(labels)

    def resume_after_login(self) -> None:
        """Carries on after a new login: the failed page, then live refresh."""
        self.listing.retry()
        self.live.resume()

    def show_live_state(self, text: str) -> None:
        """Shows how fresh the rows are (called by the live link)."""
        self.status_line.show_live(text)
        self.refresh_bindings()  # the log-in key comes and goes with a login

    def rows_updated(self, inserted_at_top: int, updated_ids: list[int]) -> None:
        """Repaints after the live refresh changed rows (called by the live link)."""
        self.table.rows_changed(inserted_at_top=inserted_at_top)
        if inserted_at_top or self.current_task_id() in updated_ids:
            self.show_detail()
        self._update_counts()

    # -- table, sidebar and detail ----------------------------------------

    @on(TaskTable.NeedMore)
    def _need_more(self) -> None:
        self.listing.load_more()

    @on(TaskTable.RetryRequested)
    def _retry_requested(self) -> None:
        self.listing.retry()

    @on(TaskTable.Highlighted)
    def _highlighted(self) -> None:
        # Leading edge at once, then at most one redraw per cooldown, with the
        # latest row: holding a key down never queues stale redraws.
        if self._detail_timer is None:
            self.show_detail()
            self._detail_timer = self.set_timer(DETAIL_COOLDOWN, self._detail_cooled)
        else:
            self._detail_pending = True

    def _detail_cooled(self) -> None:
        self._detail_timer = None
        if self._detail_pending:
            self._detail_pending = False
            self._highlighted()

    @on(TaskList.JumpedToEnd)
    def _jumped_to_end(self) -> None:
        self.offer_load_all()

    @on(TaskTable.Selected)
    def _selected(self) -> None:
        if not self.detail.display:
            self.action_toggle_detail()
        self.detail.focus()

    @on(StatusSidebar.Chosen)
    def _filter_chosen(self, event: StatusSidebar.Chosen) -> None:
        self._select_filter(event.status)

    def on_search_bar_closed(self) -> None:
        self.table.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.action_search_step(True)

    def show_detail(self) -> None:
        task = self.current_task()
        if task is not None:
            self.detail.show_task(task, now=self.clock())
        elif not self.store and not self.listing.loading:
            self.detail.show_message(self._empty_text())

    # -- actions ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        listing = self.listing
        enabled = {
            "stop_loading": listing.loading_all,
            "load_all": listing.more,
            "retry": listing.error is not None,
            "toggle_pause": self.live.available,
            "log_in": self.needs_login,
        }
        return enabled.get(action, True)

    @property
    def needs_login(self) -> bool:
        """True while only a new login lets requests through: live refresh
        stopped on an expired token, or a page was refused for credentials."""
        error = self.listing.error
        refused = isinstance(error, ApiError) and error.status == 401
        return refused or self.live.needs_login

    def action_log_in(self) -> None:
        """Asks for an IAM login, then carries on where the user was."""
        self.swr_app.relogin()

    def action_filter(self, index: int) -> None:
        """Lists only the tasks of one status (0 lists every status)."""
        self._select_filter(FILTERS[index].status)

    def action_refresh(self) -> None:
        """Lists again from the newest task, keeping the cursor's task."""
        self.listing.refresh()

    def action_retry(self) -> None:
        """Asks again for the page that failed."""
        self.listing.retry()

    def action_load_all(self) -> None:
        """Loads every remaining page; Esc stops."""
        self.listing.load_all()

    def action_stop_loading(self) -> None:
        """Stops loading everything."""
        self.listing.stop()

    def offer_load_all(self) -> None:
        """Asks whether to load the whole history (after jumping to the end)."""
        listing = self.listing
        if not listing.more or listing.loading_all or listing.error is not None:
            return  # a failed page shows its own way forward: R
        from swrgc_tui.tui.screens.dialogs import ConfirmScreen  # rarely needed

        question = ConfirmScreen(
            "Load the whole history?",
            [
                f"{len(self.store):,} tasks are loaded and the server has more.",
                "Loading everything may take a while; Esc stops it.",
            ],
            yes="Load all",
            no="Not now",
        )
        self.app.push_screen(question, self._load_all_answered)

    def _load_all_answered(self, answer: bool | None) -> None:
        if answer:
            self.listing.load_all()

    def action_toggle_pause(self) -> None:
        """Pauses or resumes the live refresh."""
        self.live.toggle_pause()
