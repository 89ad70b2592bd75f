"""SwrClient's operations on the wire, against a scripted server."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth, TokenAuth
from swrgc_tui.api.client import SwrClient
from swrgc_tui.api.errors import ProtocolError
from swrgc_tui.api.models import GcParameters
from swrgc_tui.api.signing import compute_signature, parse_authorization

from .fakes import (
    ENDPOINT,
    GC_PATH,
    INSTANCE,
    PROJECT,
    FakeServer,
    answer,
    make_client,
    page,
    task,
)


def query_of(server: FakeServer) -> dict[str, str]:
    return dict(parse_qsl(server.last.url.query.decode()))


async def test_list_gc_tasks_sends_marker_limit_and_status() -> None:
    server = FakeServer(answer(body=page([9, 8], next_marker="bWFya2Vy")))
    async with make_client(server) as client:
        result = await client.list_gc_tasks(
            INSTANCE, marker="eyJpZCI6MTIzNH0=", limit=2, status="Success"
        )

    sent = server.last
    assert (sent.method, sent.url.path) == ("GET", GC_PATH)
    assert query_of(server) == {
        "marker": "eyJpZCI6MTIzNH0=",
        "limit": "2",
        "status": "Success",
    }
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["User-Agent"] == "swrgc-tui/0.1.0"
    assert sent.headers["X-Auth-Token"] == "token-abc"
    assert [t.id for t in result.tasks] == [9, 8]
    assert result.tasks[0].job_parameters is not None
    assert result.tasks[0].job_parameters.workers == 2
    assert result.tasks[0].creation_time == datetime(2024, 1, 20, 10, tzinfo=UTC)
    assert result.next_marker == "bWFya2Vy"


async def test_first_page_sends_no_marker_and_the_largest_page() -> None:
    server = FakeServer(answer(body=page([1])))
    async with make_client(server) as client:
        result = await client.list_gc_tasks(INSTANCE, marker="")

    assert query_of(server) == {"limit": "100"}
    assert result.next_marker is None


async def test_messy_tasks_are_read_as_far_as_they_go() -> None:
    body = {
        "page_info": None,
        "tasks": [
            task(5, job_parameters='{"freed_space": 1536, "dry_run": true}'),
            task(4, job_parameters="{not json", job_status="Exploded"),
            {"id": 3},
            task(2, job_parameters=None, creation_time="2024-01-20 10:00:00"),
            {"job_name": "no id at all"},
            "not a task",
            task(1, surprise={"nested": True}),
        ],
    }
    server = FakeServer(answer(body=body))
    async with make_client(server) as client:
        result = await client.list_gc_tasks(INSTANCE)

    by_id = {t.id: t for t in result.tasks}
    assert list(by_id) == [5, 4, 3, 2, 1]
    assert by_id[5].job_parameters is not None
    assert by_id[5].job_parameters.freed_space == 1536
    assert by_id[5].job_parameters.dry_run is True
    assert by_id[4].job_parameters_raw == "{not json"
    assert by_id[4].job_status == "Exploded"
    assert (by_id[3].job_name, by_id[3].job_status, by_id[3].creation_time) == (
        "",
        "",
        None,
    )
    assert by_id[2].creation_time == datetime(2024, 1, 20, 10, tzinfo=UTC)
    assert result.next_marker is None


async def test_a_page_with_no_readable_task_is_a_protocol_error() -> None:
    server = FakeServer(answer(body={"tasks": [{"name": "x"}, {"id": "abc"}]}))
    async with make_client(server) as client:
        with pytest.raises(ProtocolError, match="no GC task") as caught:
            await client.list_gc_tasks(INSTANCE)

    assert caught.value.request_id == "req-0001"


async def test_raw_listing_returns_the_servers_objects_and_marker() -> None:
    body = page([3, 2], next_marker="next")
    body["tasks"].append(7)
    server = FakeServer(answer(body=body), answer(body=page([1], next_marker="")))
    async with make_client(server) as client:
        tasks, marker = await client.list_gc_tasks_raw(INSTANCE, limit=3)
        last_tasks, last_marker = await client.list_gc_tasks_raw(
            INSTANCE, marker=marker
        )

    assert tasks == [task(3), task(2)]
    assert marker == "next"
    assert [t["id"] for t in last_tasks] == [1]
    assert last_marker is None


@pytest.mark.parametrize(
    "body",
    [[1, 2], {"tasks": "many"}, {"tasks": [], "page_info": "x"}, "tasks"],
)
async def test_raw_listing_refuses_a_page_of_the_wrong_shape(body: object) -> None:
    server = FakeServer(answer(body=body))
    async with make_client(server) as client:
        with pytest.raises(ProtocolError, match="request id req-0001"):
            await client.list_gc_tasks_raw(INSTANCE)


@pytest.mark.parametrize("limit", [0, 101, -1, True, "10", 2.5])
async def test_limit_outside_1_to_100_is_refused_before_sending(limit: object) -> None:
    server = FakeServer(answer(body=page([])))
    async with make_client(server) as client:
        with pytest.raises(ValueError, match="limit must be"):
            await client.list_gc_tasks(INSTANCE, limit=limit)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="limit must be"):
            await client.list_instances_page(limit=limit)  # type: ignore[arg-type]

    assert server.requests == []


async def test_ids_cannot_change_the_shape_of_the_path() -> None:
    server = FakeServer(answer(body={"id": "x"}))
    async with make_client(server) as client:
        await client.show_instance("../other/id?x=1")

    assert server.last.url.raw_path.decode() == (
        f"/v2/{PROJECT}/instances/..%2Fother%2Fid%3Fx%3D1"
    )


@pytest.mark.parametrize("bad", ["", "   "])
async def test_an_empty_instance_id_is_refused(bad: str) -> None:
    server = FakeServer(answer(body={}))
    async with make_client(server) as client:
        with pytest.raises(ValueError, match="instance id must not be empty"):
            await client.show_gc_schedule(bad)


@pytest.mark.parametrize(
    ("endpoint", "problem"),
    [
        ("swr.example.com", "must look like https://host"),
        ("ftp://h", "must look like https://host"),
        ("https://", "must look like https://host"),
        ("http://exa mple:x", "must look like https://host"),
        ("https://me:secret@swr.example.com", "must not hold a user name"),
        ("http://me:secret@host:port", "must look like https://host"),
        ("https://swr.example.com/?debug=1", "must not have a query"),
    ],
)
def test_an_endpoint_that_is_no_base_url_is_refused(
    endpoint: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem) as caught:
        SwrClient(endpoint, PROJECT, TokenAuth("t"))

    assert "secret" not in str(caught.value)


async def test_an_endpoint_with_a_path_prefix_keeps_it() -> None:
    server = FakeServer(answer(body={"instances": [], "total": 0}))
    client = SwrClient(
        "http://127.0.0.1:9000/swr/",
        PROJECT,
        TokenAuth("t"),
        transport=server.transport,
    )
    async with client:
        await client.list_instances()

    assert str(server.last.url).startswith(f"http://127.0.0.1:9000/swr/v2/{PROJECT}/")


async def test_show_instance_and_task_read_one_object() -> None:
    instance = {"id": INSTANCE, "name": "prod", "status": "Running", "spec": None}
    server = FakeServer(answer(body=instance), answer(body=task(42, "Running")))
    async with make_client(server) as client:
        found = await client.show_instance(INSTANCE)
        gc = await client.show_gc_task(INSTANCE, 42)

    assert (found.name, found.status, found.spec, found.is_running) == (
        "prod",
        "Running",
        "",
        True,
    )
    assert (gc.id, gc.job_status, gc.is_active) == (42, "Running", True)
    assert server.last.url.path == f"{GC_PATH}/42"


async def test_stop_puts_with_no_body_and_reads_an_empty_answer() -> None:
    server = FakeServer(answer(200))
    async with make_client(server) as client:
        assert await client.stop_gc_task(INSTANCE, 42) is None

    assert (server.last.method, server.last.url.path) == ("PUT", f"{GC_PATH}/42")
    assert server.last.content == b""
    assert server.last.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("gc_id", [-1, True, "42"])
async def test_a_task_id_must_be_a_whole_number(gc_id: object) -> None:
    async with make_client(FakeServer(answer(200))) as client:
        with pytest.raises(ValueError, match="GC task id"):
            await client.show_gc_task(INSTANCE, gc_id)  # type: ignore[arg-type]


async def test_schedule_is_read_and_written() -> None:
    schedule = {
        "schedule": {
            "type": "Custom",
            "cron": "0 0 3 * * ?",
            "next_scheduled_time": "",
        },
        "parameters": {"delete_untagged": True, "workers": 3, "dry_run": False},
    }
    server = FakeServer(answer(body=schedule), answer(200))
    params = GcParameters(delete_untagged=True, workers=4, dry_run=True)
    async with make_client(server) as client:
        shown = await client.show_gc_schedule(INSTANCE)
        await client.update_gc_schedule(
            INSTANCE, schedule_type="Custom", cron="0 0 4 * * ?", parameters=params
        )

    assert (shown.schedule.type, shown.schedule.cron) == ("Custom", "0 0 3 * * ?")
    assert shown.parameters.workers == 3
    assert (server.last.method, server.last.url.path) == ("PUT", f"{GC_PATH}/schedule")
    assert json.loads(server.last.content) == {
        "schedule": {"type": "Custom", "cron": "0 0 4 * * ?"},
        "parameters": {"delete_untagged": True, "workers": 4, "dry_run": True},
    }


async def test_an_unknown_schedule_type_is_refused() -> None:
    server = FakeServer(answer(200))
    async with make_client(server) as client:
        with pytest.raises(ValueError, match="None, Custom"):
            await client.update_gc_schedule(
                INSTANCE, schedule_type="Hourly", cron="", parameters=GcParameters()
            )

    assert server.requests == []


async def test_execute_posts_a_manual_run_and_returns_its_id() -> None:
    server = FakeServer(answer(202, {"id": 1234}))
    async with make_client(server) as client:
        new_id = await client.execute_gc(INSTANCE, GcParameters(workers=2))

    assert new_id == 1234
    assert (server.last.method, server.last.url.path) == ("POST", f"{GC_PATH}/schedule")
    assert json.loads(server.last.content) == {
        "schedule": {"type": "Manual"},
        "parameters": {"delete_untagged": False, "workers": 2, "dry_run": False},
    }


async def test_execute_without_an_id_in_the_answer_is_a_protocol_error() -> None:
    server = FakeServer(answer(202, {"job": "started"}))
    async with make_client(server) as client:
        with pytest.raises(ProtocolError, match="unexpected answer.*id"):
            await client.execute_gc(INSTANCE, GcParameters())


async def test_list_instances_reads_every_page_by_offset() -> None:
    def instances(first: int, count: int, total: int) -> dict[str, object]:
        items = [
            {"id": f"i-{n}", "name": f"reg-{n}"} for n in range(first, first + count)
        ]
        return {"instances": items, "total": total}

    server = FakeServer(
        answer(body=instances(0, 100, 130)), answer(body=instances(100, 30, 130))
    )
    async with make_client(server) as client:
        found = await client.list_instances(status="Running")

    assert [i.id for i in found] == [f"i-{n}" for n in range(130)]
    offsets = [dict(parse_qsl(r.url.query.decode())) for r in server.requests]
    assert offsets == [
        {"offset": "0", "limit": "100", "status": "Running"},
        {"offset": "100", "limit": "100", "status": "Running"},
    ]


async def test_list_instances_stops_when_a_page_brings_nothing_new() -> None:
    full = {"instances": [{"id": f"i-{n}"} for n in range(100)], "total": 0}
    server = FakeServer(answer(body=full))
    async with make_client(server) as client:
        found = await client.list_instances()

    assert len(found) == 100
    assert len(server.requests) == 2


async def test_a_new_auth_is_used_from_the_next_request_on() -> None:
    server = FakeServer(answer(body=page([])))
    async with make_client(server) as client:
        await client.list_gc_tasks(INSTANCE)
        client.auth = TokenAuth("fresh-token")
        await client.list_gc_tasks(INSTANCE)

    tokens = [r.headers["X-Auth-Token"] for r in server.requests]
    assert tokens == ["token-abc", "fresh-token"]


async def test_aksk_requests_are_signed_over_the_canonical_query() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    auth = AkSkAuth("AK1", "SK1", project_id=PROJECT, clock=lambda: moment)
    server = FakeServer(answer(body=page([])))
    async with make_client(server, auth=auth) as client:
        await client.list_gc_tasks(INSTANCE, marker="a b", status="Error", limit=5)

    sent = server.last
    assert sent.url.query == b"limit=5&marker=a%20b&status=Error"
    assert sent.headers["X-Project-Id"] == PROJECT
    assert sent.headers["Host"] == "swr-api.cn-north-4.myhuaweicloud.com"
    access, signed, signature = parse_authorization(sent.headers["Authorization"]) or (
        "",
        [],
        "",
    )
    assert access == "AK1"
    assert signed == [
        "content-type",
        "host",
        "user-agent",
        "x-project-id",
        "x-sdk-date",
    ]
    expected = compute_signature(
        secret_key="SK1",
        method="GET",
        path=sent.url.path,
        query=parse_qsl(sent.url.query.decode()),
        headers=dict(sent.headers),
        body=b"",
        signed_headers=signed,
    )
    assert expected.signature == signature


async def test_debug_log_names_the_exchange_but_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = FakeServer(answer(body=page([]), headers={"X-Request-Id": "req-77"}))
    caplog.set_level(logging.DEBUG, logger="swrgc_tui.api")
    auth = AkSkAuth("AK1", "very-secret-sk", security_token="sts-secret")
    async with make_client(server, auth=auth) as client:
        await client.list_gc_tasks(INSTANCE)

    text = caplog.text
    assert f"GET {GC_PATH} -> 200" in text
    assert "req-77" in text
    for secret in ("very-secret-sk", "sts-secret", "Authorization", "Signature="):
        assert secret not in text


def test_repr_names_endpoint_and_project_only() -> None:
    client = SwrClient(ENDPOINT, PROJECT, TokenAuth("secret-token"))

    assert repr(client) == f"SwrClient('{ENDPOINT}', project_id='{PROJECT}')"


async def test_requests_do_not_search_the_path_for_sniffio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.abc
    import sys

    from httpcore._synchronization import current_async_library

    searched: list[str] = []

    class Spy(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, *args: object) -> None:
            searched.append(name)

    monkeypatch.setattr(sys, "meta_path", [Spy(), *sys.meta_path])

    assert [current_async_library() for _ in range(3)] == ["asyncio"] * 3
    assert "sniffio" not in searched


async def test_an_auth_flow_of_two_steps_is_followed() -> None:
    class Challenged(httpx.Auth):
        """Sends a second request, with an answer to the challenge, on a 401."""

        def auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            response = yield request
            if response.status_code == 401:
                request.headers["X-Auth-Token"] = response.headers["X-Challenge"]
                yield request

    tokens: list[str | None] = []

    def seen(reply: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
        def handler(request: httpx.Request) -> httpx.Response:
            tokens.append(request.headers.get("X-Auth-Token"))
            return reply

        return handler

    server = FakeServer(
        seen(answer(401, {"error_code": "APIGW.0301"}, headers={"X-Challenge": "c"})),
        seen(answer(body={"id": 1, "job_status": "Success"})),
    )
    client = SwrClient(ENDPOINT, PROJECT, Challenged(), transport=server.transport)
    async with client:
        shown = await client.show_gc_task(INSTANCE, 1)

    assert shown.id == 1
    assert tokens == [None, "c"]
