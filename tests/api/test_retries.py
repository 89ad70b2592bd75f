"""What is retried, how long the client waits, and when it gives up."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import RetryPolicy, SwrClient, Timeouts
from swrgc_tui.api.errors import ServerError, ThrottledError, TransportError
from swrgc_tui.api.models import GcParameters

from .fakes import INSTANCE, PROJECT, FakeServer, FakeSleep, answer, make_client, page

OK = answer(body=page([1]))
UNAVAILABLE = answer(503, {"error_code": "SVCSTG.SWR.5000001", "error_msg": "busy"})
THROTTLED = {"error_code": "APIGW.0308", "error_msg": "The API is throttled."}


def test_backoff_doubles_up_to_the_cap_with_full_jitter() -> None:
    policy = RetryPolicy(attempts=9, base_delay=0.25, max_delay=8.0)

    ceilings = [policy.backoff(n, draw=lambda: 1.0) for n in range(1, 9)]

    assert ceilings == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert policy.backoff(3, draw=lambda: 0.0) == 0.0
    assert policy.backoff(3, draw=lambda: 0.5) == 0.5


async def test_a_get_is_retried_after_5xx_until_it_succeeds() -> None:
    server, sleep = FakeServer(UNAVAILABLE, UNAVAILABLE, OK), FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        result = await client.list_gc_tasks(INSTANCE)

    assert [t.id for t in result.tasks] == [1]
    assert len(server.requests) == 3
    assert len(sleep.delays) == 2
    assert 0 <= sleep.delays[0] <= 0.25 and 0 <= sleep.delays[1] <= 0.5


async def test_a_get_gives_up_after_the_last_attempt() -> None:
    server, sleep = FakeServer(UNAVAILABLE), FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        with pytest.raises(ServerError, match="SVCSTG.SWR.5000001: busy"):
            await client.show_instance(INSTANCE)

    assert len(server.requests) == 4
    assert len(sleep.delays) == 3


async def test_501_and_4xx_are_not_retried() -> None:
    server = FakeServer(answer(501), answer(404, {"error_code": "SVCSTG.SWR.4040001"}))
    async with make_client(server) as client:
        with pytest.raises(ServerError):
            await client.show_instance(INSTANCE)
        with pytest.raises(Exception, match="4040001"):
            await client.show_instance(INSTANCE)

    assert len(server.requests) == 2


async def test_post_and_put_are_not_retried_after_an_answer() -> None:
    server, sleep = FakeServer(UNAVAILABLE), FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        with pytest.raises(ServerError):
            await client.execute_gc(INSTANCE, GcParameters())
        with pytest.raises(ServerError):
            await client.stop_gc_task(INSTANCE, 7)

    assert [r.method for r in server.requests] == ["POST", "PUT"]
    assert sleep.delays == []


async def test_throttling_waits_as_long_as_the_server_asks() -> None:
    server = FakeServer(answer(429, THROTTLED, headers={"Retry-After": "2"}), OK)
    sleep = FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        await client.list_gc_tasks(INSTANCE)

    assert sleep.delays == [2.0]
    assert len(server.requests) == 2


async def test_throttling_without_a_hint_backs_off() -> None:
    server, sleep = FakeServer(answer(429, THROTTLED), OK), FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        await client.list_gc_tasks(INSTANCE)

    assert len(sleep.delays) == 1 and 0 <= sleep.delays[0] <= 0.25


async def test_a_retry_after_beyond_the_cap_is_raised_at_once() -> None:
    server = FakeServer(answer(429, THROTTLED, headers={"Retry-After": "120"}))
    sleep = FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        with pytest.raises(ThrottledError) as caught:
            await client.list_gc_tasks(INSTANCE)

    assert caught.value.retry_after == 120.0
    assert caught.value.error_code == "APIGW.0308"
    assert len(server.requests) == 1
    assert sleep.delays == []


async def test_a_lost_connection_is_retried_then_reported() -> None:
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    server, sleep = FakeServer(refused), FakeSleep()
    async with make_client(server, sleep=sleep) as client:
        with pytest.raises(TransportError) as caught:
            await client.list_gc_tasks(INSTANCE)

    assert len(server.requests) == 4
    assert len(sleep.delays) == 3
    assert str(caught.value) == (
        f"GET swr-api.cn-north-4.myhuaweicloud.com/v2/{PROJECT}/instances/"
        f"{INSTANCE}/system/gc: cannot connect: [Errno 111] Connection refused "
        "(after 4 attempts)"
    )


async def test_a_request_that_never_left_is_retried_even_when_it_is_a_post() -> None:
    server = FakeServer(httpx.ConnectError("refused"), answer(202, {"id": 9}))
    async with make_client(server) as client:
        assert await client.execute_gc(INSTANCE, GcParameters()) == 9

    assert [r.method for r in server.requests] == ["POST", "POST"]


async def test_a_post_that_may_have_arrived_is_not_sent_twice() -> None:
    server = FakeServer(httpx.ReadTimeout("timed out"), answer(202, {"id": 9}))
    async with make_client(server) as client:
        with pytest.raises(TransportError, match="no answer within 30 s$"):
            await client.execute_gc(INSTANCE, GcParameters())

    assert len(server.requests) == 1


async def test_a_get_that_timed_out_is_retried() -> None:
    server = FakeServer(
        httpx.ReadTimeout("timed out"), httpx.RemoteProtocolError("x"), OK
    )
    async with make_client(server) as client:
        result = await client.list_gc_tasks(INSTANCE)

    assert [t.id for t in result.tasks] == [1]
    assert len(server.requests) == 3


async def test_every_retry_is_signed_afresh() -> None:
    server = FakeServer(UNAVAILABLE, OK)
    async with make_client(server) as client:
        client.auth = TokenAuth("token-1")
        await client.list_gc_tasks(INSTANCE)

    assert [r.headers["X-Auth-Token"] for r in server.requests] == ["token-1"] * 2
    assert server.requests[0] is not server.requests[1]


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A loopback server that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    for writer in held:
        writer.close()
    server.close()


async def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    client = SwrClient(
        silent_server,
        PROJECT,
        TokenAuth("t"),
        timeouts=Timeouts(connect=1.0, read=0.2),
        retry=RetryPolicy(attempts=2, base_delay=0.01),
    )
    started = time.monotonic()
    async with client:
        with pytest.raises(TransportError, match=r"no answer within 0\.2 s \(after 2"):
            await client.list_gc_tasks(INSTANCE)

    assert time.monotonic() - started < 2.0


async def test_a_closed_port_is_reported_as_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SwrClient(
        f"http://127.0.0.1:{port}",
        PROJECT,
        TokenAuth("t"),
        retry=RetryPolicy(attempts=2, base_delay=0.01),
    )
    async with client:
        with pytest.raises(
            TransportError, match=f"127.0.0.1:{port}/v2/.*: cannot connect"
        ):
            await client.list_instances()
