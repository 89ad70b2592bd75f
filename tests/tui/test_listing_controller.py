"""The listing controller alone: stale replies, refresh depth, load-all, errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any

import httpx

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import RetryPolicy, SwrClient
from swrgc_tui.api.errors import BadRequestError
from swrgc_tui.tui.listing import ListingController, error_line
from swrgc_tui.tui.store import TaskStore

from .fake_swr import task


class FakeTable:
    """Records what the controller tells the table."""

    def __init__(self, store: TaskStore) -> None:
        self.store, self.cursor_row = store, 0
        self.tails: list[tuple[str, str]] = []

    def rows_changed(self, *, inserted_at_top: int = 0) -> None:
        self.cursor_row = min(self.cursor_row, max(len(self.store) - 1, 0))

    def set_tail(self, state: str, text: str = "") -> None:
        self.tails.append((state, text))

    def move_to_task(self, task_id: int) -> bool:
        index = self.store.index_of(task_id)
        if index is not None:
            self.cursor_row = index
        return index is not None


class NeverCancels:
    """A worker owner whose cancellations do nothing, so only the identity
    check on each reply can keep a stale one out."""

    def __init__(self) -> None:
        self.running: list[asyncio.Future[Any]] = []
        self.workers = self

    def cancel_group(self, node: object, group: str) -> None:
        pass

    def run_worker(self, work: Coroutine[Any, Any, Any], **_: Any) -> None:
        self.running.append(asyncio.ensure_future(work))

    async def settle(self) -> None:
        while pending := [f for f in self.running if not f.done()]:
            await asyncio.gather(*pending)


class Server:
    """Pages of tasks per status; a status can be held back until released."""

    def __init__(self, pages: int = 3, per_page: int = 10) -> None:
        self.gates: dict[str | None, asyncio.Event] = {}
        self.pages, self.per_page = pages, per_page
        self.fail: list[int] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        status = request.url.params.get("status")
        if status in self.gates:
            await self.gates[status].wait()
        if self.fail:
            code = self.fail.pop(0)
            body = {"error_code": "SVCSTG.SWR.4000014", "error_msg": "bad [b]x[/b]"}
            headers = {"X-Request-Id": "r-1"}
            return httpx.Response(code, json=body, headers=headers)
        page = int(request.url.params.get("marker") or 0)
        first = 1000 - page * self.per_page
        ids = range(first, first - self.per_page, -1)
        tasks = [task(i, job_status=status or "Success") for i in ids]
        more = page + 1 < self.pages
        body = {
            "page_info": {"next_marker": str(page + 1) if more else ""},
            "tasks": tasks,
        }
        return httpx.Response(200, content=json.dumps(body).encode())


def _controller(
    server: Server,
) -> tuple[ListingController, TaskStore, FakeTable, NeverCancels]:
    transport = httpx.MockTransport(server)
    client = SwrClient(
        "https://swr.test",
        "p",
        TokenAuth("t"),
        transport=transport,
        retry=RetryPolicy(attempts=1),
    )
    store, owner = TaskStore(), NeverCancels()
    table = FakeTable(store)
    controller = ListingController(
        owner,  # type: ignore[arg-type]
        client,
        "i1",
        store,
        table,  # type: ignore[arg-type]
        page_size=10,
        on_change=lambda: None,
        on_failure=lambda error: None,
    )
    return controller, store, table, owner


async def test_a_reply_for_an_old_filter_is_dropped_even_if_it_arrives() -> None:
    server = Server()
    server.gates["Error"] = asyncio.Event()
    controller, store, table, owner = _controller(server)
    controller.start("Error")
    controller.start("Success")
    await asyncio.sleep(0.05)
    server.gates["Error"].set()
    await owner.settle()

    assert controller.status == "Success"
    assert {store.status(i) for i in range(len(store))} == {"Success"}
    assert len(store) == 10
    assert table.tails[-1] == ("more", "")


async def test_load_all_follows_the_markers_to_the_end() -> None:
    controller, store, table, owner = _controller(Server(pages=4))
    controller.start(None)
    await owner.settle()
    controller.load_all()
    assert controller.loading_all
    await owner.settle()
    assert len(store) == 40 and not controller.more and not controller.loading_all
    assert table.tails[-1] == ("end", "")


async def test_a_failed_page_shows_code_and_request_id_first_and_retries() -> None:
    server = Server()
    controller, store, table, owner = _controller(server)
    controller.start(None)
    await owner.settle()
    server.fail = [400]
    controller.load_more()
    await owner.settle()
    assert isinstance(controller.error, BadRequestError)
    assert table.tails[-1] == (
        "error",
        "SVCSTG.SWR.4000014 (request id r-1): bad [b]x[/b]",
    )
    assert len(store) == 10
    controller.load_more()  # ignored: the failed page waits for a retry
    await owner.settle()
    assert len(store) == 10
    controller.retry()
    await owner.settle()
    assert len(store) == 20 and controller.error is None


async def test_refresh_loads_as_deep_as_before_to_find_the_cursor_task() -> None:
    controller, store, table, owner = _controller(Server(pages=5))
    controller.start(None)
    await owner.settle()
    controller.load_all()
    await owner.settle()
    table.cursor_row = 33
    kept = store.task_id(33)
    controller.refresh()
    assert len(store) == 50  # the old rows stay until the first page arrives
    await owner.settle()
    assert store.task_id(table.cursor_row) == kept
    assert len(store) == 40


def test_error_line_of_other_failures_is_their_message() -> None:
    from swrgc_tui.api.errors import PagingError

    assert error_line(PagingError("the listing loops: page 3")) == (
        "the listing loops: page 3"
    )
