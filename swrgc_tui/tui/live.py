"""Live refresh of a loaded GC listing: new runs at the top, active runs re-read.

One round re-lists the first page of the listing (same instance and status
filter, no marker) and merges it into the top of the store, then re-reads with
ShowGcTask the Running and Pending tasks that page did not cover, at most
``max_polls`` of them per round. Every store change of a round is applied at
once, after all of its requests have answered, so a cancelled round leaves the
rows as they were and the table never sees half a round.

No Textual here: the app runs :meth:`LiveRefresher.run` in a worker and turns
each :class:`LiveUpdate` into repaints and notifications.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from swrgc_tui.api.errors import (
    ApiError,
    NotFoundError,
    SwrError,
    ThrottledError,
)
from swrgc_tui.api.tasks import GcTask
from swrgc_tui.tui.store import TaskStore

if TYPE_CHECKING:
    from swrgc_tui.tui.pending import ApiClient

log = logging.getLogger(__name__)

#: Longest wait between two rounds while the server keeps failing, in seconds.
MAX_BACKOFF = 300.0
#: Share of a back-off delay that is randomised, so clients do not retry in step.
JITTER = 0.2


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LiveUpdate:
    """What one refresh round changed, or why it could not.

    Attributes:
        inserted_at_top: new tasks put at the top of the store.
        updated_ids: known tasks whose values changed in place.
        finished: tasks seen Running or Pending before and in an end state now.
        error: why the round failed; rows it could not read are untouched.
        backing_off_for: seconds until the next automatic try while the server
            fails or throttles; None when polling at the normal interval.
        refreshed_at: when the round succeeded; None when it failed.
    """

    inserted_at_top: int = 0
    updated_ids: list[int] = field(default_factory=list)
    finished: list[GcTask] = field(default_factory=list)
    error: SwrError | None = None
    backing_off_for: float | None = None
    refreshed_at: datetime | None = None

    @property
    def needs_login(self) -> bool:
        """True when the token has expired: only a new login helps."""
        return isinstance(self.error, ApiError) and self.error.token_expired

    @property
    def changed(self) -> bool:
        """True when any row of the store has new values."""
        return bool(self.inserted_at_top or self.updated_ids)


@dataclass
class _Fetched:
    """The answers of one round, kept apart until they are applied together."""

    page: list[GcTask] = field(default_factory=list)
    polled: list[GcTask] = field(default_factory=list)
    error: SwrError | None = None


class LiveRefresher:
    """Keeps a loaded listing current by polling, politely.

    Args:
        client: the API client; its ``auth`` may be replaced between rounds.
        instance_id: the instance listed.
        store: the listing's rows, changed in place by each round.
        status: the listing's status filter (None for every status).
        interval: seconds between rounds; 0 leaves :meth:`run` idle.
        page_size: tasks asked for when re-listing the first page.
        max_polls: most ShowGcTask requests one round may send.
        on_update: told the outcome of every round, whoever started it.
        sleep: waits between rounds (tests pass a fast fake).
        now: the present, for ``refreshed_at``.

    Attributes:
        paused: while True, no request at all is sent (the user pressed pause).
        needs_login: set when a round met an expired token; polling stays off
            until :meth:`resume` is called with working credentials.
        last_refresh: when a round last succeeded.
    """

    def __init__(
        self,
        client: ApiClient,
        instance_id: str,
        store: TaskStore,
        *,
        status: str | None,
        interval: float,
        page_size: int = 100,
        max_polls: int = 10,
        on_update: Callable[[LiveUpdate], None],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._client = client
        self._instance_id = instance_id
        self._store = store
        self._status = status
        self._interval = interval
        self._page_size = page_size
        self._max_polls = max_polls
        self._on_update = on_update
        self._sleep = sleep
        self._now = now
        self._paused = False
        self.needs_login = False
        self.last_refresh: datetime | None = None
        self._failures = 0
        self._backoff: float | None = None
        self._poll_offset = 0
        self._over_budget = False
        self._due = False
        self._wake = asyncio.Event()
        self._round: asyncio.Task[LiveUpdate] | None = None

    @property
    def interval(self) -> float:
        """Seconds between rounds; 0 turns automatic refresh off."""
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self._interval = max(0.0, seconds)
        self._wake.set()

    @property
    def paused(self) -> bool:
        """Whether automatic refresh is paused by the user."""
        return self._paused

    @paused.setter
    def paused(self, value: bool) -> None:
        if self._paused and not value:
            self._due = True
            self._wake.set()
        self._paused = value

    @property
    def backing_off_for(self) -> float | None:
        """The current back-off delay, or None at the normal interval."""
        return self._backoff

    def resume(self) -> None:
        """Polls again after a login, starting with a round right away."""
        self.needs_login = False
        self._failures = 0
        self._backoff = None
        self._due = True
        self._wake.set()

    def retarget(self, instance_id: str, status: str | None) -> None:
        """Follows the listing to another instance or status filter.

        A round still in flight belongs to the old listing: it is cancelled so
        its answers never reach the store the new listing fills.
        """
        self._instance_id = instance_id
        self._status = status
        self._poll_offset = 0
        if self._round is not None:
            self._round.cancel()
            self._round = None

    async def run(self) -> None:
        """Refreshes every ``interval`` seconds until cancelled."""
        try:
            while True:
                await self._turn()
        finally:
            if self._round is not None:
                self._round.cancel()

    async def _turn(self) -> None:
        """Waits for the next round and runs it, or idles while polling is off."""
        if not self._may_poll():
            await self._wake.wait()
            self._wake.clear()
            return
        if not self._due and await self._pause(self._next_delay()):
            return  # woken by a change of state: look at it afresh
        self._due = False
        if not self._may_poll():
            return
        try:
            await self._shared_round()
        except Exception:
            # A defect must not end live refresh for the rest of the session.
            log.exception("live refresh round broke; trying again next interval")

    async def refresh_once(self) -> LiveUpdate:
        """Runs one round now, or joins the one in flight, and restarts the timer."""
        update = await self._shared_round()
        self._wake.set()
        return update

    def _may_poll(self) -> bool:
        return self._interval > 0 and not self._paused and not self.needs_login

    def _next_delay(self) -> float:
        return self._backoff if self._backoff is not None else self._interval

    async def _pause(self, delay: float) -> bool:
        """Sleeps for ``delay``; True when woken early by a change of state."""
        self._wake.clear()
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()
        woken = self._wake.is_set()
        self._wake.clear()
        return woken

    async def _shared_round(self) -> LiveUpdate:
        # Two callers (the timer and a manual refresh) share one round, so
        # there are never two rounds, nor two first-page requests, at once.
        if self._round is None or self._round.done():
            self._round = asyncio.ensure_future(self._do_round())
        current = self._round
        try:
            return await asyncio.shield(current)
        except asyncio.CancelledError:
            caller = asyncio.current_task()
            if current.cancelled() and caller is not None and not caller.cancelling():
                return LiveUpdate()  # retargeted: the old listing's round is void
            raise

    async def _do_round(self) -> LiveUpdate:
        fetched = await self._fetch()
        update = self._apply(fetched)
        self._settle(update)
        self._on_update(update)
        return update

    async def _fetch(self) -> _Fetched:
        fetched = _Fetched()
        try:
            page = await self._client.list_gc_tasks(
                self._instance_id, limit=self._page_size, status=self._status
            )
        except SwrError as exc:
            fetched.error = exc
            return fetched
        fetched.page = page.tasks
        fetched.polled, fetched.error = await self._poll(self._to_poll(page.tasks))
        return fetched

    def _to_poll(self, page: Sequence[GcTask]) -> list[int]:
        """Active tasks the first page did not cover, up to ``max_polls``.

        When more are active than one round may read, a rotating window picks
        them, so each is re-read within a few rounds and the request rate
        stays bounded; tasks on the first page need no request of their own.
        """
        on_page = {task.id for task in page}
        waiting = [i for i in self._store.active_ids() if i not in on_page]
        if len(waiting) <= self._max_polls:
            self._over_budget = False
            return waiting
        if not self._over_budget:  # said once, not every few seconds
            log.info(
                "%d active tasks beyond the first page; re-reading %d per round",
                len(waiting),
                self._max_polls,
            )
        self._over_budget = True
        start = self._poll_offset % len(waiting)
        self._poll_offset = start + self._max_polls
        rotated = waiting[start:] + waiting[:start]
        return rotated[: self._max_polls]

    async def _poll(self, ids: list[int]) -> tuple[list[GcTask], SwrError | None]:
        results = await asyncio.gather(
            *(self._client.show_gc_task(self._instance_id, i) for i in ids),
            return_exceptions=True,
        )
        tasks: list[GcTask] = []
        error: SwrError | None = None
        for task_id, result in zip(ids, results, strict=True):
            if isinstance(result, GcTask):
                tasks.append(result)
            elif isinstance(result, NotFoundError):
                log.info("task %d is gone from the server; not re-read", task_id)
            elif isinstance(result, SwrError):
                error = result
            else:
                raise result
        return tasks, error

    def _apply(self, fetched: _Fetched) -> LiveUpdate:
        """Puts a round's answers into the store, with no await in between."""
        touched = [task.id for task in fetched.page] + [t.id for t in fetched.polled]
        before = self._snapshot(touched)
        inserted = self._store.merge_newer(fetched.page) if fetched.page else 0
        # A task that left the filtered status (a Running filter, and the run
        # has ended) is updated where it stands rather than removed: the user
        # is looking at it, and the row should show how it ended.
        for task in fetched.polled:
            self._store.update(task)
        update = LiveUpdate(inserted_at_top=inserted, error=fetched.error)
        for task_id, old in before.items():
            self._compare(update, old, self._current(task_id))
        return update

    def _snapshot(self, ids: list[int]) -> dict[int, GcTask]:
        return {i: task for i in ids if (task := self._current(i)) is not None}

    def _current(self, task_id: int) -> GcTask | None:
        index = self._store.index_of(task_id)
        return None if index is None else self._store.task(index)

    @staticmethod
    def _compare(update: LiveUpdate, old: GcTask, new: GcTask | None) -> None:
        if new is None or new == old:
            return
        update.updated_ids.append(new.id)
        if old.is_active and not new.is_active:
            update.finished.append(new)

    def _settle(self, update: LiveUpdate) -> None:
        """Records the round's outcome and chooses when the next one runs."""
        error = update.error
        if error is None:
            self._failures = 0
            self._backoff = None
            self.last_refresh = update.refreshed_at = self._now()
            log.debug(
                "live round: %d new, %d changed, %d ended",
                update.inserted_at_top,
                len(update.updated_ids),
                len(update.finished),
            )
            return
        if update.needs_login:
            self.needs_login = True
            log.warning("live refresh stopped until a new login: %s", error)
            return
        if self._interval <= 0:
            log.warning("refresh failed: %s", error)
            return
        self._failures += 1
        self._backoff = update.backing_off_for = self._backoff_delay(error)
        log.warning("live refresh failed, next try in %.0fs: %s", self._backoff, error)

    def _backoff_delay(self, error: SwrError) -> float:
        doublings = min(self._failures, 16)  # the cap is reached long before
        base = min(self._interval * 2.0**doublings, MAX_BACKOFF)
        delay = base * (1.0 - JITTER * random.random())
        if isinstance(error, ThrottledError) and error.retry_after:
            delay = max(delay, error.retry_after)
        return delay
