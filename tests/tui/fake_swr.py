"""A tiny in-memory SWR for data the emulator never sends (hostile strings).

It answers ListInstance, ShowInstance and ListGcTasks from fixed lists,
through an httpx ``MockTransport``, so a test controls every byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import RetryPolicy, SwrClient

PROJECT = "p" * 32
ENDPOINT = "https://swr-api.example.test"


def instance(instance_id: str, name: str, status: str = "Running") -> dict[str, Any]:
    """An instance as ListInstance returns it."""
    return {
        "id": instance_id,
        "name": name,
        "status": status,
        "spec": "swr.ee.basic",
        "version": "v3.2.4",
        "access_address": f"https://{instance_id}.example.test",
        "created_at": "2024-01-02T03:04:05Z",
    }


def task(task_id: int, **fields: Any) -> dict[str, Any]:
    """A finished GC task; ``fields`` override any value."""
    base: dict[str, Any] = {
        "id": task_id,
        "job_name": "GARBAGE_COLLECTION",
        "job_kind": "SCHEDULE",
        "job_status": "Success",
        "job_parameters": {
            "delete_untagged": False,
            "workers": 2,
            "dry_run": False,
            "purged_blobs": 10,
            "purged_manifests": 3,
            "freed_space": 1536,
        },
        "creation_time": "2024-01-20T10:00:00Z",
        "update_time": "2024-01-20T10:02:05Z",
    }
    return {**base, **fields}


class FakeSwr:
    """Answers from ``instances`` and ``tasks``, paged by ``limit``.

    ``later_pages_fail`` answers every page after the first with that status
    and an SWR error body, always with the same request id; ``failures``
    answers the calls of one kind ("instances" or "tasks") with a given
    status and body for as long as it holds them.
    """

    def __init__(
        self,
        instances: list[dict[str, Any]],
        tasks: list[dict[str, Any]],
        *,
        later_pages_fail: int | None = None,
    ) -> None:
        self.instances, self.tasks = instances, tasks
        self.later_pages_fail = later_pages_fail
        self.failures: dict[str, tuple[int, dict[str, Any]]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")[3:]  # after v2/{pid}/instances
        status, body = 200, None
        kind = "instances" if not parts else "tasks"
        if kind in self.failures:
            status, body = self.failures[kind]
        elif not parts:
            body = {"instances": self.instances, "total": len(self.instances)}
        elif parts[1:] == ["system", "gc"]:
            status, body = self._page(request.url.params)
        else:
            body = next(i for i in self.instances if i["id"] == parts[0])
        headers = {"X-Request-Id": "0f1e2d3c4b5a", "Content-Type": "application/json"}
        return httpx.Response(
            status, content=json.dumps(body).encode(), headers=headers
        )

    def _page(self, params: httpx.QueryParams) -> tuple[int, Any]:
        start, limit = int(params.get("marker") or 0), int(params.get("limit") or 10)
        if start and self.later_pages_fail:
            error = {"error_code": "SVCSTG.SWR.5000001", "error_msg": "Internal error"}
            return self.later_pages_fail, error
        end = start + limit
        marker = str(end) if end < len(self.tasks) else ""
        return 200, {
            "page_info": {"next_marker": marker},
            "tasks": self.tasks[start:end],
        }


def serve(monkeypatch: pytest.MonkeyPatch, fake: FakeSwr) -> None:
    """Makes the app's connection step return a client wired to ``fake``."""

    async def open_client(
        settings: object, credentials: object
    ) -> tuple[SwrClient, str]:
        transport = httpx.MockTransport(fake)
        once = RetryPolicy(attempts=1)  # failures are the point here: no retries
        client = SwrClient(
            ENDPOINT, PROJECT, TokenAuth("t"), transport=transport, retry=once
        )
        return client, PROJECT

    monkeypatch.setattr("swrgc_tui.connect.open_client", open_client)


def fake_app(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeSwr,
    clock: Callable[[], datetime] | None = None,
    **settings: Any,
) -> Any:
    """The app connected to ``fake``, with token credentials."""
    from swrgc_tui.config import Settings
    from swrgc_tui.credentials import Credentials
    from swrgc_tui.state import UiState
    from swrgc_tui.tui.app import SwrGcApp

    serve(monkeypatch, fake)
    resolved = Settings(
        endpoint=ENDPOINT,
        iam_endpoint=ENDPOINT,
        project_id=PROJECT,
        refresh=0.0,
        **settings,
    )
    token = Credentials(kind="token", source="test", token="t")
    return SwrGcApp(resolved, token, state=UiState(), clock=clock)
