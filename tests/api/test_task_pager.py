"""TaskPager: following the marker chain and guarding it."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

import httpx
import pytest

from swrgc_tui.api import paging
from swrgc_tui.api.client import RetryPolicy
from swrgc_tui.api.errors import PagingError, ServerError
from swrgc_tui.api.paging import RawTaskPager, TaskPager

from .fakes import INSTANCE, FakeServer, answer, make_client, page, task

Chain = dict[str | None, tuple[list[int], str | None]]


class MarkerServer:
    """Answers ListGcTasks from a table: marker -> (task ids, next marker)."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.markers: list[str | None] = []
        self.queries: list[dict[str, str]] = []
        self.fail_next = 0
        self.fail_once: set[str | None] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(parse_qsl(request.url.query.decode()))
        self.queries.append(query)
        self.markers.append(query.get("marker"))
        if self.fail_next or query.get("marker") in self.fail_once:
            self.fail_next = max(0, self.fail_next - 1)
            self.fail_once.discard(query.get("marker"))
            return answer(500, {"error_code": "SVCSTG.SWR.5000001", "error_msg": "x"})
        ids, next_marker = self.chain[query.get("marker")]
        return answer(body=page(ids, next_marker))


def pager_for(server: MarkerServer, **options: object) -> TaskPager:
    client = make_client(FakeServer(server), retry=RetryPolicy(attempts=1))
    return TaskPager(client, INSTANCE, **options)  # type: ignore[arg-type]


async def test_pages_follow_the_markers_to_the_end() -> None:
    server = MarkerServer({None: ([9, 8], "m1"), "m1": ([7, 6], "m2"), "m2": ([5], "")})
    pager = pager_for(server)

    pages = [await pager.next_page() for _ in range(4)]

    assert [[t.id for t in p] for p in pages] == [[9, 8], [7, 6], [5], []]
    assert server.markers == [None, "m1", "m2"]
    assert (pager.exhausted, pager.pages_loaded, pager.tasks_seen) == (True, 3, 5)


async def test_a_missing_marker_ends_the_listing() -> None:
    server = MarkerServer({None: ([3, 2, 1], None)})
    pager = pager_for(server)

    assert [t.id for t in await pager.next_page()] == [3, 2, 1]
    assert pager.exhausted
    assert await pager.next_page() == []
    assert len(server.markers) == 1


async def test_status_and_page_size_go_to_the_server() -> None:
    server = MarkerServer({None: ([4], None)})
    pager = pager_for(server, status="Error", page_size=25)

    await pager.next_page()

    assert server.queries == [{"limit": "25", "status": "Error"}]


async def test_tasks_seen_on_an_earlier_page_are_dropped() -> None:
    server = MarkerServer({None: ([9, 8, 7], "m1"), "m1": ([7, 6, 9, 5], None)})
    pager = pager_for(server)

    first, second = await pager.next_page(), await pager.next_page()

    assert [t.id for t in second] == [6, 5]
    assert pager.tasks_seen == len(first) + len(second) == 5


async def test_a_page_of_nothing_new_is_skipped() -> None:
    server = MarkerServer(
        {None: ([3, 2], "m1"), "m1": ([3, 2], "m2"), "m2": ([1], None)}
    )
    pager = pager_for(server)

    await pager.next_page()

    assert [t.id for t in await pager.next_page()] == [1]
    assert pager.pages_loaded == 3


async def test_a_marker_that_comes_back_is_refused_naming_the_pages() -> None:
    server = MarkerServer({None: ([9], "m1"), "m1": ([8], "m2"), "m2": ([7], "m1")})
    pager = pager_for(server)

    loaded = [t.id for _ in range(3) for t in await pager.next_page()]
    with pytest.raises(PagingError) as caught:
        await pager.next_page()
    with pytest.raises(PagingError):
        await pager.next_page()

    assert loaded == [9, 8, 7]
    assert str(caught.value) == (
        "the listing loops: page 3 points back to page 2; "
        "3 tasks were loaded before the loop"
    )
    assert server.markers == [None, "m1", "m2"]


async def test_a_page_that_points_to_itself_is_a_loop() -> None:
    server = MarkerServer({None: ([9], "m1"), "m1": ([8], "m1")})
    pager = pager_for(server)

    await pager.next_page()
    await pager.next_page()

    with pytest.raises(PagingError, match="page 2 points back to page 2"):
        await pager.next_page()


async def test_endless_pages_of_nothing_new_are_called_broken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(paging, "MAX_EMPTY_PAGES", 3)
    chain: Chain = {None: ([1], "m0")}
    chain.update({f"m{n}": ([], f"m{n + 1}") for n in range(10)})
    pager = pager_for(MarkerServer(chain))

    await pager.next_page()

    with pytest.raises(PagingError, match="3 pages in a row brought no new task"):
        await pager.next_page()


async def test_a_failed_page_is_asked_for_again_from_the_same_place() -> None:
    server = MarkerServer({None: ([9, 8], "m1"), "m1": ([7], None)})
    pager = pager_for(server)
    await pager.next_page()
    server.fail_next = 1

    with pytest.raises(ServerError):
        await pager.next_page()
    retried = await pager.next_page()

    assert [t.id for t in retried] == [7]
    assert server.markers == [None, "m1", "m1"]
    assert (pager.pages_loaded, pager.tasks_seen, pager.exhausted) == (2, 3, True)


async def test_a_second_call_while_one_is_in_flight_is_refused() -> None:
    release = asyncio.Event()
    sent: list[httpx.Request] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        await release.wait()
        return answer(body=page([2, 1]))

    pager = TaskPager(make_client(FakeServer(slow)), INSTANCE)
    first = asyncio.create_task(pager.next_page())
    await asyncio.sleep(0.01)

    with pytest.raises(RuntimeError, match="already being loaded"):
        await pager.next_page()
    release.set()

    assert [t.id for t in await first] == [2, 1]
    assert len(sent) == 1


async def test_a_cancelled_call_frees_the_listing() -> None:
    release = asyncio.Event()

    async def hanging(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return answer(body=page([1]))

    pager = TaskPager(make_client(FakeServer(hanging)), INSTANCE)
    stuck = asyncio.create_task(pager.next_page())
    await asyncio.sleep(0.01)
    stuck.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck
    release.set()

    assert [t.id for t in await pager.next_page()] == [1]


async def test_async_iteration_yields_every_page() -> None:
    server = MarkerServer({None: ([5, 4], "a"), "a": ([3, 2], "b"), "b": ([1], None)})

    pages = [[t.id for t in p] async for p in pager_for(server)]

    assert pages == [[5, 4], [3, 2], [1]]


async def test_the_raw_pager_yields_the_servers_objects() -> None:
    first = page([3, 2], "m1")
    first["tasks"].append({"job_name": "no id"})
    second = {"page_info": {}, "tasks": [task(2), {"job_name": "no id"}, task(1)]}
    client = make_client(FakeServer(answer(body=first), answer(body=second)))

    pages = [p async for p in RawTaskPager(client, INSTANCE)]

    assert [[t.get("id") for t in p] for p in pages] == [[3, 2, None], [None, 1]]
    assert pages[0][0] == task(3)


@pytest.mark.parametrize("size", [0, 101, True])
def test_a_page_size_outside_1_to_100_is_refused(size: int) -> None:
    client = make_client(FakeServer(answer(body=page([]))))

    with pytest.raises(ValueError, match="page size must be between 1 and 100"):
        TaskPager(client, INSTANCE, page_size=size)


async def settle() -> None:
    """Lets background requests reach the fake server."""
    for _ in range(20):
        await asyncio.sleep(0)


async def test_read_ahead_asks_for_the_next_page_as_one_arrives() -> None:
    server = MarkerServer({None: ([9, 8], "m1"), "m1": ([7], "m2"), "m2": ([6], None)})
    pager = pager_for(server, read_ahead=True)

    first = await pager.next_page()
    await settle()
    asked_before_second_call = list(server.markers)
    second, third, end = [await pager.next_page() for _ in range(3)]
    await settle()

    assert asked_before_second_call == [None, "m1"]
    assert [[t.id for t in p] for p in (first, second, third, end)] == [
        [9, 8],
        [7],
        [6],
        [],
    ]
    assert server.markers == [None, "m1", "m2"]


async def test_read_ahead_never_has_two_requests_in_flight() -> None:
    chain: Chain = {None: ([100], "m0")}
    chain.update({f"m{n}": ([99 - n], f"m{n + 1}") for n in range(20)})
    chain["m20"] = ([1], None)
    table = MarkerServer(chain)
    in_flight, most = 0, 0

    async def counting(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1
        return table(request)

    client = make_client(FakeServer(counting))
    pages = [p async for p in TaskPager(client, INSTANCE, read_ahead=True)]

    assert sum(len(p) for p in pages) == 22
    assert most == 1


async def test_a_failed_read_ahead_is_raised_then_retried_in_place() -> None:
    server = MarkerServer({None: ([9], "m1"), "m1": ([8], "m2"), "m2": ([7], None)})
    server.fail_once.add("m1")
    pager = pager_for(server, read_ahead=True)

    await pager.next_page()
    with pytest.raises(ServerError):
        await pager.next_page()
    retried = await pager.next_page()

    assert [t.id for t in retried] == [8]
    assert server.markers[:3] == [None, "m1", "m1"]
    assert pager.pages_loaded == 2


async def test_closing_drops_a_page_being_read_ahead() -> None:
    release = asyncio.Event()
    table = MarkerServer({None: ([9], "m1"), "m1": ([8], None)})

    async def slow_after_first(request: httpx.Request) -> httpx.Response:
        if b"marker" in request.url.query:
            await release.wait()
        return table(request)

    front = FakeServer(slow_after_first)
    pager = TaskPager(make_client(front), INSTANCE, read_ahead=True)
    await pager.next_page()
    await settle()

    await pager.aclose()
    release.set()

    assert [t.id for t in await pager.next_page()] == [8]
    assert len(front.requests) == 3  # the dropped read-ahead, then m1 again
    assert table.markers == [None, "m1"]
