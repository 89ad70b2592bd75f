"""Live refresh against the emulator over TCP: what the rows and updates show."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import RetryPolicy, SwrClient
from swrgc_tui.api.errors import AuthenticationError, ServerError, ThrottledError
from swrgc_tui.api.models import GcParameters
from swrgc_tui.api.paging import TaskPager
from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.tui.live import JITTER, MAX_BACKOFF, LiveRefresher, LiveUpdate
from swrgc_tui.tui.store import TaskStore

from .helpers import make_app, open_main, screen_lines, table_lines, wait_until

SHOW_TASK = re.compile(r"/system/gc/\d+$")
INTERVAL = 5.0


@pytest.fixture
def emu(make_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    """An emulator of its own: these tests run tasks, advance time, revoke tokens.

    Its clock stands still unless a test advances it, so a round sees exactly
    the changes the test made.
    """
    return make_emulator(tasks=150, clock_speed=0)


@pytest.fixture
async def client(emu: EmulatorServer) -> AsyncIterator[SwrClient]:
    # One try per request: the refresher, not the client, must meet failures.
    # The token outlives any clock advance a test makes.
    auth = TokenAuth(emu.issue_token(ttl_seconds=30 * 86400))
    retry = RetryPolicy(attempts=1)
    async with SwrClient(emu.endpoint, emu.project_id, auth, retry=retry) as swr:
        yield swr


class Recorder:
    """Collects what the refresher reports, and fakes the passing of time."""

    def __init__(self) -> None:
        self.updates: list[LiveUpdate] = []
        self.sleeps: list[float] = []

    def __call__(self, update: LiveUpdate) -> None:
        self.updates.append(update)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0.005)


async def loaded_store(
    client: SwrClient, instance_id: str, *, pages: int = 1, page_size: int = 100
) -> TaskStore:
    store = TaskStore()
    pager = TaskPager(client, instance_id, page_size=page_size)
    for _ in range(pages):
        store.extend(await pager.next_page())
    return store


def make_refresher(
    client: SwrClient,
    emu: EmulatorServer,
    store: TaskStore,
    recorder: Recorder,
    **options: Any,
) -> LiveRefresher:
    options.setdefault("interval", INTERVAL)
    options.setdefault("status", None)
    return LiveRefresher(
        client,
        emu.main_instance_id,
        store,
        on_update=recorder,
        sleep=recorder.sleep,
        **options,
    )


def shows_since(emu: EmulatorServer, start: int) -> list[str]:
    """Paths of the ShowGcTask requests served after log entry ``start``."""
    return [
        path
        for method, path, _query in emu.request_log[start:]
        if method == "GET" and SHOW_TASK.search(path)
    ]


def status_of(store: TaskStore, task_id: int) -> str:
    index = store.index_of(task_id)
    assert index is not None, f"task {task_id} is not loaded"
    return store.status(index)


def shows_id(line: str, task_id: int) -> bool:
    return re.search(rf"\b{task_id}\b", line) is not None


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_running_task_finishing_changes_its_row_and_is_reported(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    task_id = next(i for i in store.active_ids() if status_of(store, i) == "Running")
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder)

    emu.clock.advance(2 * 86400)
    update = await refresher.refresh_once()

    assert status_of(store, task_id) == "Success"
    index = store.index_of(task_id) or 0
    assert task_id in update.updated_ids
    finished = {task.id: task for task in update.finished}
    assert finished[task_id].job_status == "Success"
    params = finished[task_id].job_parameters
    assert params is not None and params.freed_space and params.freed_space > 0
    assert store.task(index).job_parameters == params
    assert update.error is None and update.refreshed_at is not None
    assert refresher.last_refresh == update.refreshed_at
    assert recorder.updates == [update]


async def test_new_task_appears_at_the_top(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    old_top, rows = store.task_id(0), len(store)
    refresher = make_refresher(client, emu, store, Recorder())

    new_id = await client.execute_gc(emu.main_instance_id, GcParameters(workers=2))
    update = await refresher.refresh_once()

    assert update.inserted_at_top == 1
    assert store.task_id(0) == new_id and store.task_id(1) == old_top
    assert store.status(0) in ("Pending", "Running")
    assert len(store) == rows + 1


async def test_quiet_round_changes_nothing(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    refresher = make_refresher(client, emu, store, Recorder())

    update = await refresher.refresh_once()

    assert (update.inserted_at_top, update.updated_ids, update.finished) == (0, [], [])
    assert not update.changed


async def test_pause_sends_no_requests(emu: EmulatorServer, client: SwrClient) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder)
    runner = asyncio.create_task(refresher.run())
    try:
        await wait_for(lambda: len(recorder.updates) >= 2)
        refresher.paused = True
        await asyncio.sleep(0.05)  # a round already under way may end
        before, rounds = emu.requests, len(recorder.updates)
        await asyncio.sleep(0.3)  # dozens of fake intervals
        assert (emu.requests, len(recorder.updates)) == (before, rounds)

        refresher.paused = False
        await wait_for(lambda: len(recorder.updates) > rounds)
        assert emu.requests > before
    finally:
        runner.cancel()


async def test_polling_is_bounded_per_round(
    emu: EmulatorServer, client: SwrClient
) -> None:
    # A tiny first page leaves most of the queued runs to ShowGcTask.
    for _ in range(6):
        await client.execute_gc(emu.main_instance_id, GcParameters())
    store = await loaded_store(client, emu.main_instance_id, pages=5, page_size=2)
    on_first_page = {store.task_id(0), store.task_id(1)}
    waiting = [i for i in store.active_ids() if i not in on_first_page]
    assert len(waiting) >= 5
    refresher = make_refresher(client, emu, store, Recorder(), page_size=2, max_polls=3)

    polled: list[str] = []
    for _ in range(2):
        start = len(emu.request_log)
        await refresher.refresh_once()
        shows = shows_since(emu, start)
        assert len(shows) == 3
        polled += shows

    # The window turns: the second round reads tasks the first did not.
    assert len(set(polled)) == 6
    assert {int(path.rsplit("/", 1)[1]) for path in polled} <= set(waiting)


async def test_active_tasks_on_the_first_page_need_no_extra_request(
    emu: EmulatorServer, client: SwrClient
) -> None:
    await client.execute_gc(emu.main_instance_id, GcParameters())
    store = await loaded_store(client, emu.main_instance_id)
    assert store.active_ids()
    refresher = make_refresher(client, emu, store, Recorder())

    start = len(emu.request_log)
    await refresher.refresh_once()

    assert shows_since(emu, start) == []
    assert len(emu.request_log) - start == 1


async def test_backs_off_while_failing_then_recovers(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    rows = [store.task(i) for i in range(len(store))]
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder)
    emu.faults.fail_next = [500, 429, 500]
    runner = asyncio.create_task(refresher.run())
    try:
        await wait_for(lambda: len(recorder.sleeps) >= 5)
    finally:
        runner.cancel()

    first, second, third, fourth = recorder.updates[:4]
    assert isinstance(first.error, ServerError)
    assert isinstance(second.error, ThrottledError)
    assert isinstance(third.error, ServerError)
    assert fourth.error is None and fourth.backing_off_for is None
    for update, factor in ((first, 2), (second, 4), (third, 8)):
        assert update.refreshed_at is None
        expected = min(INTERVAL * factor, MAX_BACKOFF)
        assert update.backing_off_for is not None
        assert expected * (1 - JITTER) <= update.backing_off_for <= expected
    # The loop waited the reported delays, then went back to the interval.
    waits = [first.backing_off_for, second.backing_off_for, third.backing_off_for]
    assert recorder.sleeps[:5] == [INTERVAL, *waits, INTERVAL]
    assert [store.task(i) for i in range(len(store))] == rows


async def test_throttling_waits_at_least_retry_after(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    # Twice the interval is under a second: the gateway's hint is longer.
    refresher = make_refresher(client, emu, store, Recorder(), interval=0.25)
    emu.faults.fail_next = [429]

    update = await refresher.refresh_once()

    assert isinstance(update.error, ThrottledError)
    assert update.error.retry_after == 1.0
    assert update.backing_off_for == refresher.backing_off_for == 1.0


async def test_expired_token_stops_polling_until_resumed(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder)
    runner = asyncio.create_task(refresher.run())
    try:
        emu.revoke_tokens()
        await wait_for(lambda: any(u.error for u in recorder.updates))
        expired = recorder.updates[-1]
        assert isinstance(expired.error, AuthenticationError)
        assert expired.needs_login and refresher.needs_login
        before = emu.requests
        await asyncio.sleep(0.2)
        assert emu.requests == before

        client.auth = TokenAuth(emu.issue_token())
        refresher.resume()
        await wait_for(lambda: recorder.updates[-1] is not expired)
        assert recorder.updates[-1].error is None
        assert not refresher.needs_login
    finally:
        runner.cancel()


async def test_two_callers_share_one_round(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder)
    emu.faults.latency_ms = 100
    start = len(emu.request_log)

    first, second = await asyncio.gather(
        refresher.refresh_once(), refresher.refresh_once()
    )

    assert first is second
    assert len(emu.request_log) - start == 1
    assert recorder.updates == [first]


async def test_retarget_drops_the_old_listings_round(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder)
    await client.execute_gc(emu.main_instance_id, GcParameters())
    emu.faults.latency_ms = 200

    pending = asyncio.create_task(refresher.refresh_once())
    await asyncio.sleep(0.05)
    store.clear()
    refresher.retarget(emu.main_instance_id, "Error")
    stale = await pending

    assert stale == LiveUpdate() and recorder.updates == []
    assert len(store) == 0
    emu.faults.latency_ms = 0
    update = await refresher.refresh_once()
    assert update.inserted_at_top == len(store) > 0
    assert {store.status(i) for i in range(len(store))} == {"Error"}


async def test_interval_zero_idles_until_turned_on(
    emu: EmulatorServer, client: SwrClient
) -> None:
    store = await loaded_store(client, emu.main_instance_id)
    recorder = Recorder()
    refresher = make_refresher(client, emu, store, recorder, interval=0)
    runner = asyncio.create_task(refresher.run())
    try:
        before = emu.requests
        await asyncio.sleep(0.2)
        assert emu.requests == before and recorder.sleeps == []

        refresher.interval = 2.0
        await wait_for(lambda: len(recorder.updates) >= 1)
        assert recorder.sleeps[0] == 2.0
    finally:
        runner.cancel()


# -- the app: rows, detail pane and notices follow the refresher -----------


async def test_app_row_detail_and_notice_follow_a_run_to_its_end(
    emu: EmulatorServer,
) -> None:
    app = make_app(emu, instance=emu.main_instance_id, refresh=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_main(pilot)
        store = screen.store
        running = next(
            i for i in store.active_ids() if status_of(store, i) == "Running"
        )
        assert screen.table.move_to_task(running)
        await wait_until(pilot, lambda: screen.detail.shown_task is not None, "detail")

        emu.clock.advance(2 * 86400)
        await wait_until(
            pilot, lambda: status_of(store, running) == "Success", "the run to end"
        )
        await pilot.pause(0.1)

        shown = screen.detail.shown_task
        assert shown is not None and shown.id == running
        assert shown.job_status == "Success"
        row = next(line for line in table_lines(screen) if shows_id(line, running))
        assert "Success" in row
        notices = [str(n.message) for n in app._notifications]
        assert any(f"GC run {running}" in n and "Success" in n for n in notices)
        assert screen.current_task_id() == running


async def test_app_new_run_lands_on_top_and_the_cursor_stays_put(
    emu: EmulatorServer, client: SwrClient
) -> None:
    app = make_app(emu, instance=emu.main_instance_id, refresh=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_main(pilot, rows=20)
        await pilot.press("j", "j", "j", "j", "j")
        watched, row = screen.current_task_id(), screen.table.cursor_row
        assert row == 5

        new_id = await client.execute_gc(emu.main_instance_id, GcParameters())
        await wait_until(pilot, lambda: screen.store.task_id(0) == new_id, "new run")
        await pilot.pause(0.1)

        assert screen.current_task_id() == watched
        assert screen.table.cursor_row == row + 1
        shown = screen.detail.shown_task
        assert shown is not None and shown.id == watched
        assert shows_id(table_lines(screen)[1], new_id)


async def test_app_pause_key_stops_requests_until_pressed_again(
    emu: EmulatorServer,
) -> None:
    app = make_app(emu, instance=emu.main_instance_id, refresh=0.05)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_main(pilot)
        live = screen.live
        await wait_until(pilot, lambda: live.refresher is not None, "live refresh")
        refresher = live.refresher
        assert refresher is not None
        await wait_until(pilot, lambda: refresher.last_refresh is not None, "a round")

        await pilot.press("p")
        await pilot.pause(0.1)  # a round already under way may end
        before = emu.requests
        await pilot.pause(0.5)  # ten intervals
        assert emu.requests == before
        assert "refresh paused" in " ".join(screen_lines(screen))

        await pilot.press("p")
        await wait_until(pilot, lambda: emu.requests > before, "requests again")
