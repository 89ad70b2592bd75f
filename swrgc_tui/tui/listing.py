"""The listing controller: pages of one instance × status filter into the table.

One :class:`TaskPager` per listing. Every reply is checked against the
listing it was asked for, so a reply that arrives after a filter switch or a
refresh is dropped, never shown. Requests run in workers of the screen that
owns the controller, never in a message handler, so the UI never waits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.dom import DOMNode

from swrgc_tui.api.errors import ApiError, SwrError
from swrgc_tui.api.paging import TaskPager
from swrgc_tui.api.tasks import GcTask
from swrgc_tui.formatting import safe_text
from swrgc_tui.tui.store import TaskStore
from swrgc_tui.tui.widgets.task_table import TaskTable

if TYPE_CHECKING:
    from swrgc_tui.api.early import EarlyPage
    from swrgc_tui.tui.pending import ApiClient

log = logging.getLogger(__name__)

#: Worker group of page requests; one listing has one request in flight.
PAGES_GROUP = "pages"


def error_line(error: SwrError) -> str:
    """The error in one line: code and request id first, then the message.

    The request id comes before the message so that it survives when a
    narrow line cuts the end off.
    """
    if not isinstance(error, ApiError):
        return safe_text(str(error)) or type(error).__name__
    head = error.error_code or f"HTTP {error.status}"
    if error.request_id:
        head += f" (request id {error.request_id})"
    message = error.error_msg or error.excerpt
    return safe_text(f"{head}: {message}" if message else head)


@dataclass
class _Listing:
    """One listing in progress and what it is waiting for."""

    status: str | None
    pager: TaskPager
    loading: bool = False
    error: SwrError | None = None
    pages: int = 0
    replace_rows: bool = False
    keep_task: int | None = None
    keep_depth: int = 0
    early: asyncio.Future[list[GcTask]] | None = None
    clear_on_failure: bool = False


class ListingController:
    """Loads pages of GC tasks into a store and keeps the table's tail honest.

    Args:
        owner: the screen whose workers send the requests.
        client: the API client.
        instance_id: the instance listed.
        store: the rows, shared with the table.
        table: the table showing the store.
        page_size: tasks per request.
        on_change: called after every change of rows or state.
        on_failure: called with an error a page request raised.
    """

    def __init__(
        self,
        owner: DOMNode,
        client: ApiClient,
        instance_id: str,
        store: TaskStore,
        table: TaskTable,
        *,
        page_size: int,
        on_change: Callable[[], None],
        on_failure: Callable[[SwrError], None],
    ) -> None:
        self._owner, self._client, self.instance_id = owner, client, instance_id
        self._store, self._table = store, table
        self._page_size = page_size
        self._on_change, self._on_failure = on_change, on_failure
        self._current: _Listing | None = None
        self.loading_all = False

    @property
    def status(self) -> str | None:
        """The status filter of the current listing (None lists every status)."""
        return self._current.status if self._current else None

    @property
    def more(self) -> bool:
        """True while the server may hold more tasks than are loaded."""
        return self._current is not None and not self._current.pager.exhausted

    @property
    def loading(self) -> bool:
        """True while a page request is in flight."""
        return self._current is not None and self._current.loading

    @property
    def error(self) -> SwrError | None:
        """The error of the last page request, until it is retried."""
        return self._current.error if self._current else None

    @property
    def stale(self) -> bool:
        """True while the rows shown belong to the listing before this one."""
        listing = self._current
        if listing is None or listing.pages or listing.error is not None:
            return False
        return listing.clear_on_failure and len(self._store) > 0

    @property
    def started(self) -> bool:
        """True once the first page of the current listing has arrived."""
        return self._current is not None and self._current.pages > 0

    def prefetch(self, status: str | None, early: EarlyPage | None = None) -> None:
        """Asks for the first page now, before the screen can show it.

        Called while the screen is still being built, so the answer travels
        while the widgets are composed; :meth:`start` with the same status
        then takes it instead of asking again. ``early`` is that page asked
        for at start-up, taken when it is this listing's.
        """
        listing = self._begin(status)
        if early is not None and early.answers(
            self.instance_id, status, self._page_size
        ):
            listing.pager.start_with(early.page)
        listing.early = asyncio.ensure_future(listing.pager.next_page())
        # An answer nobody waits for (the screen went away) is not an error.
        listing.early.add_done_callback(
            lambda done: done.cancelled() or done.exception()
        )

    def start(self, status: str | None) -> None:
        """Starts a new listing from its first page.

        The rows on screen stay until that page replaces them, or its failure
        clears them; :attr:`stale` tells the owner to mark them meanwhile.
        Emptying the table at once would cost a relayout for the blink of an
        empty table.
        """
        listing = self._current
        if listing is None or listing.early is None or listing.status != status:
            listing = self._begin(status)
        listing.replace_rows = listing.clear_on_failure = True
        self._request()

    def refresh(self) -> None:
        """Lists again from the first page, keeping the cursor's task if it is found.

        The rows on screen stay until the first page arrives; pages are then
        loaded until the task under the cursor is found again or as many
        rows as before are loaded.
        """
        keep = self._cursor_task()
        depth = len(self._store)
        listing = self._begin(self.status)
        listing.replace_rows, listing.keep_task, listing.keep_depth = True, keep, depth
        self._request()

    def load_more(self) -> None:
        """Asks for the next page, unless one is in flight, failed or none is left."""
        listing = self._current
        if listing and not listing.loading and not listing.error and self.more:
            self._request()

    def retry(self) -> None:
        """Asks again for the page that failed."""
        if self._current and self._current.error and not self._current.loading:
            self._request()

    def load_all(self) -> None:
        """Keeps loading pages until the end of the history or :meth:`stop`.

        After a failed page this asks for that page again first.
        """
        if self.more:
            self.loading_all = True
            if self.error:
                self.retry()
            else:
                self.load_more()
            self._on_change()

    def stop(self) -> None:
        """Stops loading everything after the page in flight."""
        if self.loading_all:
            self.loading_all = False
            self._on_change()

    def _begin(self, status: str | None) -> _Listing:
        # Cancelling is a courtesy to the server; correctness comes from the
        # identity check on every reply.
        self._owner.workers.cancel_group(self._owner, PAGES_GROUP)
        if self._current is not None and self._current.early is not None:
            self._current.early.cancel()
        self.loading_all = False
        pager = TaskPager(
            self._client, self.instance_id, status=status, page_size=self._page_size
        )
        self._current = _Listing(status=status, pager=pager)
        return self._current

    def _cursor_task(self) -> int | None:
        row = self._table.cursor_row
        return self._store.task_id(row) if 0 <= row < len(self._store) else None

    def _request(self) -> None:
        listing = self._current
        if listing is None:
            return
        listing.loading, listing.error = True, None
        self._table.set_tail("loading")
        self._owner.run_worker(
            self._fetch(listing), group=PAGES_GROUP, exit_on_error=False
        )
        self._on_change()

    async def _fetch(self, listing: _Listing) -> None:
        early, listing.early = listing.early, None
        try:
            tasks = await (early or listing.pager.next_page())
        except SwrError as error:
            listing.loading = False
            if listing is self._current:
                self._failed(listing, error)
            return
        listing.loading = False
        if listing is self._current:
            self._arrived(listing, tasks)
        else:
            log.debug("dropped a page of a listing no longer shown")

    def _failed(self, listing: _Listing, error: SwrError) -> None:
        if self.stale:  # the rows shown are another listing's
            self._store.clear()
            self._table.rows_changed()
        listing.error = error
        self.loading_all = False
        self._table.set_tail("error", error_line(error))
        self._on_change()
        self._on_failure(error)

    def _arrived(self, listing: _Listing, tasks: list[GcTask]) -> None:
        listing.pages += 1
        if listing.replace_rows and listing.pages == 1:
            self._store.clear()
        added = self._store.extend(tasks)
        self._table.rows_changed()
        self._table.set_tail("more" if self.more else "end")
        wants_more = self._follow_kept_task(listing) or self.loading_all
        if self.more and (wants_more or (tasks and not added)):
            self._request()
        elif not self.more:
            self.loading_all = False
        self._on_change()

    def _follow_kept_task(self, listing: _Listing) -> bool:
        """Puts the cursor back on its task; True while it is worth loading on."""
        if listing.keep_task is None:
            return False
        if self._table.move_to_task(listing.keep_task):
            listing.keep_task = None
            return False
        if len(self._store) < listing.keep_depth:
            return True
        listing.keep_task = None
        return False
