"""Walking the marker chain of ListGcTasks, one page at a time.

A pager belongs to one listing (an instance and a status filter). It follows
``next_marker`` until the server sends none, and guards against what a broken
or changing server can do: a marker that comes back (a loop, which would
otherwise never end), a task that shows up on two pages (history shifting while
it is read), two requests for the same listing at once (a double key press).

A failed page leaves the pager where it was, so calling :meth:`next_page`
again retries the same page.

With ``read_ahead``, the request for the next page leaves as soon as a page
arrives, so the server works on it while the caller handles the one it got.
There is still never more than one request of a listing in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar

from swrgc_tui.api.errors import PagingError
from swrgc_tui.api.tasks import MAX_LIMIT, GcTask, GcTaskPage

Item = TypeVar("Item")
Source = TypeVar("Source")


class GcTaskLister(Protocol):
    """What a :class:`TaskPager` reads pages from: a client, or a stand-in."""

    async def list_gc_tasks(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = MAX_LIMIT,
        status: str | None = None,
    ) -> GcTaskPage: ...


class RawGcTaskLister(Protocol):
    """What a :class:`RawTaskPager` reads pages from."""

    async def list_gc_tasks_raw(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = MAX_LIMIT,
        status: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]: ...


#: Pages in a row that bring no new task before the chain is called broken.
MAX_EMPTY_PAGES = 50


class _MarkerChain(Generic[Item, Source]):
    """The guards of a marker-paged listing; subclasses fetch and identify."""

    def __init__(
        self,
        client: Source,
        instance_id: str,
        *,
        status: str | None = None,
        page_size: int = MAX_LIMIT,
        read_ahead: bool = False,
    ) -> None:
        if isinstance(page_size, bool) or not 1 <= page_size <= MAX_LIMIT:
            raise ValueError(f"page size must be between 1 and {MAX_LIMIT}")
        self.client = client
        self.instance_id = instance_id
        self.status = status
        self.page_size = page_size
        self.exhausted = False
        self.pages_loaded = 0
        self.tasks_seen = 0
        self._marker: str | None = None
        self._page_of_marker: dict[str | None, int] = {None: 1}
        self._ids: set[Hashable] = set()
        self._loop: str | None = None
        self._busy = False
        self._read_ahead = read_ahead
        self._ahead: asyncio.Task[tuple[list[Item], str | None]] | None = None

    async def _fetch(self, marker: str | None) -> tuple[list[Item], str | None]:
        raise NotImplementedError

    def start_with(
        self, first: Callable[[], Awaitable[tuple[list[Item], str | None] | None]]
    ) -> None:
        """Takes the first page from ``first``: a page asked for before this
        pager existed. If it gives None, the pager asks for the page itself.
        """
        if self.pages_loaded or self._ahead is not None:
            raise RuntimeError(
                "only a pager that has not started can start with a page"
            )

        async def first_page() -> tuple[list[Item], str | None]:
            page = await first()
            return page if page is not None else await self._fetch(self._marker)

        self._ahead = asyncio.ensure_future(first_page())

    def _task_id(self, item: Item) -> Hashable | None:
        raise NotImplementedError

    async def next_page(self) -> list[Item]:
        """The next page's tasks not seen before; ``[]`` once the chain ends.

        Pages that bring nothing new are skipped, so an empty list always
        means the end.

        Raises:
            PagingError: the server's markers loop.
            RuntimeError: a call for this listing is still in flight.
            SwrError: whatever the request raised; the next call retries.
        """
        if self._busy:
            raise RuntimeError("a page of this listing is already being loaded")
        self._busy = True
        try:
            return await self._next_fresh_page()
        finally:
            self._busy = False

    async def _next_fresh_page(self) -> list[Item]:
        for _ in range(MAX_EMPTY_PAGES):
            if self._loop is not None:
                raise PagingError(self._loop)
            if self.exhausted:
                return []
            items, next_marker = await self._take()
            fresh = self._accept(items, next_marker)
            if self._read_ahead and not self.exhausted and self._loop is None:
                self._ahead = asyncio.create_task(self._fetch(self._marker))
            if fresh:
                return fresh
        raise PagingError(
            f"{MAX_EMPTY_PAGES} pages in a row brought no new task; "
            f"stopped after page {self.pages_loaded}"
        )

    async def _take(self) -> tuple[list[Item], str | None]:
        """The page at the current marker: the one read ahead, or a new one.

        A failed read-ahead raises here, before the pager moves, so the next
        call asks for the same page again.
        """
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            return await ahead
        return await self._fetch(self._marker)

    async def aclose(self) -> None:
        """Drops a page being read ahead; the pager can still go on."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.cancel():
            with contextlib.suppress(asyncio.CancelledError):
                await ahead
        elif ahead is not None and not ahead.cancelled():
            ahead.exception()  # retrieved, so asyncio does not warn about it

    def _accept(self, items: list[Item], next_marker: str | None) -> list[Item]:
        """Takes in a page that arrived; returns its tasks not seen before."""
        self.pages_loaded += 1
        fresh = []
        for item in items:
            key = self._task_id(item)
            if key is None:
                fresh.append(item)  # nothing to recognise it by: keep it
            elif key not in self._ids:
                self._ids.add(key)
                fresh.append(item)
        self.tasks_seen += len(fresh)
        self._advance(next_marker)
        return fresh

    def _advance(self, next_marker: str | None) -> None:
        page = self.pages_loaded
        if next_marker is None:
            self.exhausted = True
        elif next_marker in self._page_of_marker:
            earlier = self._page_of_marker[next_marker]
            self._loop = (
                f"the listing loops: page {page} points back to page {earlier}; "
                f"{self.tasks_seen} tasks were loaded before the loop"
            )
        else:
            self._page_of_marker[next_marker] = page + 1
            self._marker = next_marker

    async def __aiter__(self) -> AsyncIterator[list[Item]]:
        try:
            while page := await self.next_page():
                yield page
        finally:
            await self.aclose()


class TaskPager(_MarkerChain[GcTask, GcTaskLister]):
    """Pages of one GC history listing as :class:`GcTask` models.

    Args:
        client: the client to read through.
        instance_id: the instance whose history to list.
        status: a server-side status filter, or None for every task.
        page_size: tasks per request, 1 to 100.
        read_ahead: ask for the next page as soon as one arrives; call
            :meth:`aclose` when the listing is dropped before its end.
    """

    async def _fetch(self, marker: str | None) -> tuple[list[GcTask], str | None]:
        page = await self.client.list_gc_tasks(
            self.instance_id, marker=marker, limit=self.page_size, status=self.status
        )
        return page.tasks, page.next_marker

    def _task_id(self, item: GcTask) -> Hashable:
        return item.id


class RawTaskPager(_MarkerChain[dict[str, Any], RawGcTaskLister]):
    """Pages of one GC history listing as the JSON objects the server sent.

    The same guards as :class:`TaskPager` over the client's fast path, for
    streaming many tasks out without building a model of each.
    """

    async def _fetch(
        self, marker: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        return await self.client.list_gc_tasks_raw(
            self.instance_id, marker=marker, limit=self.page_size, status=self.status
        )

    def _task_id(self, item: dict[str, Any]) -> Hashable | None:
        task_id = item.get("id")
        if task_id is None or type(task_id) in (int, str):
            return task_id
        return repr(task_id)  # a list or an object: compared by its text
