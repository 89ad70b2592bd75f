"""Scripted stand-ins for a server, shared by the API layer's unit tests."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import RetryPolicy, SwrClient, Timeouts

PROJECT = "0123456789abcdef0123456789abcdef"
INSTANCE = "5d6e1c5e-2c3f-4a7e-9d0c-111122223333"
ENDPOINT = "https://swr-api.cn-north-4.myhuaweicloud.com"
GC_PATH = f"/v2/{PROJECT}/instances/{INSTANCE}/system/gc"

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]
Answer = httpx.Response | Exception | Handler


def answer(
    status: int = 200,
    body: Any = None,
    *,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A response with a JSON body (or ``text``) and an ``X-Request-Id``."""
    content = text.encode() if text is not None else b""
    if body is not None:
        content = json.dumps(body).encode()
    all_headers = {"X-Request-Id": "req-0001", **(headers or {})}
    return httpx.Response(status, content=content, headers=all_headers)


class FakeServer:
    """Answers requests in the order scripted (the last one repeats) and
    records every request it saw."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        next_answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(next_answer, Exception):
            raise next_answer
        if isinstance(next_answer, httpx.Response):
            return httpx.Response(
                next_answer.status_code,
                headers=next_answer.headers,
                content=next_answer.content,
            )
        produced = next_answer(request)
        return produced if isinstance(produced, httpx.Response) else await produced

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


class FakeSleep:
    """Records the pauses asked for instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(
    server: FakeServer,
    *,
    auth: httpx.Auth | None = None,
    retry: RetryPolicy | None = None,
    sleep: FakeSleep | None = None,
    timeouts: Timeouts | None = None,
) -> SwrClient:
    return SwrClient(
        ENDPOINT,
        PROJECT,
        auth or TokenAuth("token-abc"),
        retry=retry or RetryPolicy(),
        timeouts=timeouts or Timeouts(),
        transport=server.transport,
        sleep=sleep or FakeSleep(),
    )


def task(task_id: int, status: str = "Success", **extra: Any) -> dict[str, Any]:
    """A GC task as the service describes it."""
    return {
        "id": task_id,
        "job_name": f"gc-{task_id}",
        "job_kind": "SCHEDULE",
        "job_status": status,
        "job_parameters": {"delete_untagged": False, "workers": 2, "dry_run": False},
        "creation_time": "2024-01-20T10:00:00Z",
        "update_time": "2024-01-20T10:05:00Z",
        **extra,
    }


def page(ids: list[int], next_marker: str | None = None) -> dict[str, Any]:
    """A ListGcTasks answer."""
    info = {"next_marker": next_marker} if next_marker is not None else {}
    return {"page_info": info, "tasks": [task(i) for i in ids]}
