"""The kept-alive HTTP/1.1 transport against scripted loopback servers."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from swrgc_tui.api._wire import KeepAliveTransport, direct_transport
from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import SwrClient
from swrgc_tui.api.paging import RawTaskPager

from .wire_server import DROP, HANG, ScriptedServer, ok, server_tls

CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5;note=first\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n"
)
UNTIL_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello world"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = KeepAliveTransport()
    async with httpx.AsyncClient(transport=transport, timeout=2.0) as c:
        yield c


async def test_requests_in_a_row_share_one_connection(
    client: httpx.AsyncClient,
) -> None:
    async with ScriptedServer([ok(b"one"), ok(b"two"), ok(b"three")]) as server:
        bodies = [(await client.get(f"{server.url}/n")).content for _ in range(3)]

    assert bodies == [b"one", b"two", b"three"]
    assert server.connections == 1


async def test_the_request_goes_out_as_built(client: httpx.AsyncClient) -> None:
    async with ScriptedServer([ok()]) as server:
        await client.put(f"{server.url}/v2/x?b=2&a=1", content=b'{"k":1}')

    head, body = server.requests[0].split(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"PUT /v2/x?b=2&a=1 HTTP/1.1"
    assert f"Host: {server.url.split('//')[1]}".encode() in lines
    assert b"Content-Length: 7" in lines
    assert body == b'{"k":1}'


@pytest.mark.parametrize(
    "reply",
    [ok(b"hello world"), CHUNKED, UNTIL_CLOSE],
    ids=["content-length", "chunked", "until-close"],
)
async def test_every_framing_of_a_body_is_read(
    client: httpx.AsyncClient, reply: bytes
) -> None:
    async with ScriptedServer([reply, ok(b"next")]) as server:
        first = await client.get(server.url)
        second = await client.get(server.url)

    assert first.content == b"hello world"
    assert second.content == b"next"
    # Only a body that ran to the end of the connection costs a new one.
    assert server.connections == (2 if reply is UNTIL_CLOSE else 1)


async def test_answers_without_a_body(client: httpx.AsyncClient) -> None:
    replies = [
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",  # to a HEAD
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n",
    ]
    async with ScriptedServer(replies) as server:
        no_content = await client.get(server.url)
        head = await client.head(server.url)
        not_modified = await client.get(server.url)

    assert [no_content.status_code, head.status_code] == [204, 200]
    assert no_content.content == head.content == not_modified.content == b""
    assert head.headers["Content-Length"] == "11"


async def test_an_interim_answer_is_skipped(client: httpx.AsyncClient) -> None:
    reply = b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"final")
    async with ScriptedServer([reply]) as server:
        response = await client.post(server.url, content=b"x")

    assert (response.status_code, response.content) == (200, b"final")


async def test_status_reason_and_headers_reach_the_response(
    client: httpx.AsyncClient,
) -> None:
    reply = (
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After:  3 \r\n"
        b"X-Request-Id: abc\r\nContent-Length: 2\r\n\r\n{}"
    )
    async with ScriptedServer([reply]) as server:
        response = await client.get(server.url)

    assert response.status_code == 429
    assert response.reason_phrase == "Too Many Requests"
    assert response.headers["Retry-After"] == "3"
    assert response.headers["X-Request-Id"] == "abc"


async def test_a_gzip_body_is_decoded(client: httpx.AsyncClient) -> None:
    packed = gzip.compress(b'{"tasks":[]}')
    reply = ok(packed, "Content-Encoding: gzip")
    async with ScriptedServer([reply]) as server:
        response = await client.get(server.url)

    assert response.json() == {"tasks": []}


async def test_connection_close_is_honoured(client: httpx.AsyncClient) -> None:
    async with ScriptedServer([ok(b"a", "Connection: close"), ok(b"b")]) as server:
        await client.get(server.url)
        second = await client.get(server.url)

    assert second.content == b"b"
    assert server.connections == 2


async def test_concurrent_requests_each_get_a_connection(
    client: httpx.AsyncClient,
) -> None:
    def answer(head: bytes) -> bytes:
        return ok(head.split(b" ")[1])

    async with ScriptedServer(answer=answer) as server:
        paths = [f"/{n}" for n in range(5)]
        replies = await asyncio.gather(*(client.get(server.url + p) for p in paths))
        again = await client.get(server.url + "/again")

    assert [r.text for r in replies] == paths
    assert again.text == "/again"
    assert 1 <= server.connections <= 5


async def test_a_get_the_server_dropped_unanswered_is_sent_again(
    client: httpx.AsyncClient,
) -> None:
    async with ScriptedServer([ok(b"first"), DROP, ok(b"second")]) as server:
        await client.get(server.url)
        response = await client.get(server.url)

    assert response.content == b"second"
    assert server.connections == 2
    assert len(server.requests) == 3


async def test_a_post_the_server_dropped_is_not_sent_again(
    client: httpx.AsyncClient,
) -> None:
    async with ScriptedServer([ok(b"first"), DROP, ok(b"never")]) as server:
        await client.get(server.url)
        with pytest.raises(httpx.RemoteProtocolError, match="without answering"):
            await client.post(server.url, content=b"{}")

    assert [r.split(b" ")[0] for r in server.requests] == [b"GET", b"POST"]


async def test_a_dropped_first_request_is_an_error(client: httpx.AsyncClient) -> None:
    async with ScriptedServer([DROP]) as server:
        with pytest.raises(httpx.RemoteProtocolError, match="without answering"):
            await client.get(server.url)


async def test_a_silent_server_runs_into_the_read_timeout() -> None:
    async with (
        httpx.AsyncClient(transport=KeepAliveTransport(), timeout=0.2) as client,
        ScriptedServer([HANG]) as server,
    ):
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url)


async def test_a_refused_connection_is_a_connect_error(
    client: httpx.AsyncClient,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        await client.get(f"http://127.0.0.1:{port}/")


async def test_a_cancelled_request_leaves_no_answer_behind(
    client: httpx.AsyncClient,
) -> None:
    async with ScriptedServer([HANG, ok(b"second")]) as server:
        first = asyncio.create_task(client.get(server.url))
        await asyncio.sleep(0.05)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        second = await client.get(server.url)

    assert second.content == b"second"
    assert server.connections == 2


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (b"SPDY/3 200 OK\r\n\r\n", "not an HTTP/1.1 answer"),
        (b"HTTP/1.1 2000 OK\r\n\r\n", "not an HTTP/1.1 answer"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "Content",
        ),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "transfer coding"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nab",
            "middle",
        ),
    ],
)
async def test_malformed_answers_are_protocol_errors(
    client: httpx.AsyncClient, reply: bytes, problem: str
) -> None:
    async with ScriptedServer([reply]) as server:
        with pytest.raises(httpx.RemoteProtocolError, match=problem):
            await client.get(server.url)


async def test_a_header_with_a_line_break_is_never_sent(
    client: httpx.AsyncClient,
) -> None:
    async with ScriptedServer([ok()]) as server:
        with pytest.raises(httpx.LocalProtocolError, match="line break"):
            await client.get(server.url, headers={"X-Auth-Token": "a\r\nX-Evil: 1"})

    assert server.requests == []


async def test_closing_the_transport_closes_idle_connections() -> None:
    transport = KeepAliveTransport()
    async with ScriptedServer([ok()]) as server:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get(server.url)
        await asyncio.sleep(0.05)

        assert server.closed_by_client == 1


def test_an_unsupported_scheme_is_refused() -> None:
    async def go() -> None:
        async with httpx.AsyncClient(transport=KeepAliveTransport()) as client:
            await client.get("ftp://127.0.0.1/")

    with pytest.raises(httpx.UnsupportedProtocol):
        asyncio.run(go())


# -- proxies and TLS -----------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "endpoint", "direct"),
    [
        ({}, "https://swr-api.example.test", True),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "https://swr-api.example.test", False),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "http://127.0.0.1:8080", True),
        ({"ALL_PROXY": "http://proxy:3128"}, "http://127.0.0.1:8080", False),
        (
            {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "example.test"},
            "https://swr-api.example.test",
            True,
        ),
    ],
)
def test_a_proxy_in_the_environment_is_reached_through_httpx(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], endpoint: str, direct: bool
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    transport = direct_transport(endpoint)

    assert isinstance(transport, KeepAliveTransport) is direct
    assert isinstance(transport, httpx.AsyncHTTPTransport) is not direct


async def test_tls_is_verified_against_the_trusted_authorities(
    monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with (
        ScriptedServer([ok()], tls=server_tls(certificate)) as server,
        httpx.AsyncClient(transport=KeepAliveTransport()) as client,
    ):
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(server.url)


async def test_tls_with_a_trusted_certificate_keeps_its_connection(
    monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    replies = [ok(b"secure"), ok(b"again")]
    async with (
        ScriptedServer(replies, tls=server_tls(certificate)) as server,
        httpx.AsyncClient(transport=KeepAliveTransport()) as client,
    ):
        bodies = [(await client.get(server.url)).content for _ in range(2)]

    assert bodies == [b"secure", b"again"]
    assert server.connections == 1


async def test_a_client_lists_every_page_over_one_connection() -> None:
    def page(head: bytes) -> bytes:
        marker = b"marker=m" in head.split(b"\r\n")[0]
        tasks = [{"id": 1 if marker else 2, "job_status": "Success"}]
        info = {} if marker else {"next_marker": "m"}
        return ok(json.dumps({"page_info": info, "tasks": tasks}).encode())

    async with ScriptedServer(answer=page) as server:
        client = SwrClient(server.url, "p", TokenAuth("t"))
        async with client:
            pager = RawTaskPager(client, "i")
            pages = [page async for page in pager]

    assert [[task["id"] for task in tasks] for tasks in pages] == [[2], [1]]
    assert server.connections == 1


async def test_a_client_behind_a_proxy_sends_through_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    async with ScriptedServer([ok(b'{"instances":[],"total":0}')]) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with SwrClient("http://swr.test", "p", TokenAuth("t")) as client:
            assert await client.list_instances() == []

    assert proxy.requests[0].startswith(b"GET http://swr.test/v2/p/instances?")
