"""The first page asked for before the TUI has loaded, against the emulator."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from swrgc_tui.api.auth import AkSkAuth
from swrgc_tui.api.client import SwrClient
from swrgc_tui.api.early import MAX_AGE, EarlyPage, PageRequest, can_ask_early
from swrgc_tui.api.paging import TaskPager

from .wire_server import DROP, ScriptedServer, ok, server_tls

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer


def request_for(emu: EmulatorServer, **changes: object) -> PageRequest:
    request = PageRequest(
        endpoint=emu.endpoint,
        project_id=emu.project_id,
        instance_id=emu.main_instance_id,
        status=None,
        limit=100,
        ak=emu.ak,
        sk=emu.sk,
    )
    return request._replace(**changes)


def client_for(emu: EmulatorServer) -> SwrClient:
    auth = AkSkAuth(emu.ak, emu.sk, project_id=emu.project_id)
    return SwrClient(emu.endpoint, emu.project_id, auth)


@pytest.mark.parametrize("status", [None, "Success", "Error"])
async def test_the_early_page_is_the_page_the_client_reads(
    emulator_session: EmulatorServer, status: str | None
) -> None:
    emu = emulator_session
    early = EarlyPage(request_for(emu, status=status, limit=30))

    page = await early.page()

    async with client_for(emu) as client:
        wanted = await client.list_gc_tasks(
            emu.main_instance_id, limit=30, status=status
        )
    assert page is not None
    tasks, marker = page
    assert [t.id for t in tasks] == [t.id for t in wanted.tasks]
    # A running task moves on between the two reads; the finished ones do not.
    finished = [t for t in tasks if not t.is_active]
    assert finished == [t for t in wanted.tasks if not t.is_active]
    assert len(tasks) == 30
    assert marker == wanted.next_marker
    assert status is None or {task.job_status for task in tasks} == {status}


async def test_a_token_is_sent_as_the_client_sends_it(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    early = EarlyPage(request_for(emu, ak="", sk="", token=emu.issue_token()))

    page = await early.page()

    assert page is not None and len(page[0]) == 100


@pytest.mark.parametrize(
    "changes",
    [
        {"sk": "not-the-secret-key"},
        {"instance_id": "no-such-instance"},
        {"endpoint": "http://127.0.0.1:9"},  # nothing listens there
    ],
    ids=["wrong-key", "unknown-instance", "refused"],
)
async def test_any_failure_gives_none_so_the_client_asks_and_reports(
    emulator_session: EmulatorServer, changes: dict[str, object]
) -> None:
    early = EarlyPage(request_for(emulator_session, **changes))

    assert await early.page() is None


async def test_a_server_error_gives_none(emulator: EmulatorServer) -> None:
    emulator.faults.fail_next = [503]

    assert await EarlyPage(request_for(emulator)).page() is None


def test_it_is_not_asked_through_a_proxy_or_for_odd_ids(
    emulator_session: EmulatorServer,
) -> None:
    request = request_for(emulator_session)

    assert can_ask_early(request, {"SSL_CERT_FILE": "/etc/ssl/x.pem"})
    assert not can_ask_early(request, {"HTTPS_PROXY": "http://proxy:3128"})
    assert not can_ask_early(request, {"all_proxy": "socks5://proxy"})
    odd = request._replace(instance_id="a/../b")
    assert not can_ask_early(odd, {})
    assert not can_ask_early(request._replace(endpoint="ftp://x"), {})


def test_it_answers_only_its_own_listing(emulator_session: EmulatorServer) -> None:
    early = EarlyPage(request_for(emulator_session, status="Error", limit=50))
    instance = emulator_session.main_instance_id

    assert early.answers(instance, "Error", 50)
    assert not early.answers(instance, None, 50)
    assert not early.answers(instance, "Error", 100)
    assert not early.answers("another", "Error", 50)


def test_an_old_page_answers_nothing(
    emulator_session: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    early = EarlyPage(request_for(emulator_session))
    instance = emulator_session.main_instance_id
    assert early.answers(instance, None, 100)

    later = time.monotonic() + MAX_AGE + 1
    monkeypatch.setattr("swrgc_tui.api.early._clock", lambda: later)

    assert not early.answers(instance, None, 100)


def test_its_repr_shows_no_secret(emulator_session: EmulatorServer) -> None:
    request = request_for(emulator_session, token="tok-123")

    assert emulator_session.sk not in repr(request) and "tok-123" not in repr(request)


async def test_a_pager_continues_after_the_early_page_without_asking_again(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    early = EarlyPage(request_for(emu, limit=100))
    await early.page()
    before = len(emu.request_log)

    async with client_for(emu) as client:
        pager = TaskPager(client, emu.main_instance_id, page_size=100)
        pager.start_with(early.page)
        pages = [task.id async for page in pager for task in page]

    assert len(pages) == len(set(pages)) == 400
    requests = emu.request_log[before:]
    assert len(requests) == 3  # pages 2 to 4; the first came early
    assert all("marker" in query for _, _, query in requests)


async def test_a_pager_asks_itself_when_the_early_page_failed(
    emulator_session: EmulatorServer,
) -> None:
    emu = emulator_session
    early = EarlyPage(request_for(emu, sk="wrong"))

    async with client_for(emu) as client:
        pager = TaskPager(client, emu.main_instance_id, page_size=100)
        pager.start_with(early.page)
        first = await pager.next_page()

    assert len(first) == 100 and pager.pages_loaded == 1
    with pytest.raises(RuntimeError):
        pager.start_with(early.page)


PAGE = {"page_info": {"next_marker": "m2"}, "tasks": [{"id": 7, "job_status": "Error"}]}


def scripted_request(server: ScriptedServer) -> PageRequest:
    return PageRequest(
        endpoint=server.url,
        project_id="p",
        instance_id="i",
        status=None,
        limit=100,
        token="t",
    )


async def test_a_page_over_tls_is_read_when_its_authority_is_trusted(
    monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    reply = ok(json.dumps(PAGE).encode())
    async with ScriptedServer([reply], tls=server_tls(certificate)) as server:
        page = await EarlyPage(scripted_request(server)).page()

    assert page is not None and [t.id for t in page[0]] == [7] and page[1] == "m2"
    head = server.requests[0].split(b"\r\n\r\n")[0].decode()
    assert head.startswith("GET /v2/p/instances/i/system/gc?limit=100 HTTP/1.1")
    assert "X-Auth-Token: t" in head and "Connection: close" in head


async def test_an_untrusted_certificate_gives_none(
    monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    reply = ok(json.dumps(PAGE).encode())
    async with ScriptedServer([reply], tls=server_tls(certificate)) as server:
        assert await EarlyPage(scripted_request(server)).page() is None


BODY = json.dumps(PAGE).encode()


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 9999\r\n\r\n" + BODY,
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
        ok(b"<html>proxy page</html>"),
        ok(b'{"tasks": "many"}'),
        b"garbage without a status line",
        DROP,
    ],
    ids=["chunked", "short", "gzip", "html", "no-list", "garbage", "dropped"],
)
async def test_an_answer_it_does_not_read_gives_none(
    reply: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A body shorter than announced looks like a slow server until it times out.
    monkeypatch.setattr("swrgc_tui.api.early.TIMEOUT", 0.5)
    async with ScriptedServer([reply]) as server:
        assert await EarlyPage(scripted_request(server)).page() is None
