"""A thin HTTP client for the emulator tests: paths, calls and a marker walk."""

from __future__ import annotations

from typing import Any

import httpx

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.emulator import EmulatorServer

#: Tokens of the test clients outlive any clock advance a test makes.
TOKEN_TTL = 400 * 86400.0


class Api:
    """Calls one emulator over TCP, authenticated by a token unless told."""

    def __init__(self, emu: EmulatorServer, auth: httpx.Auth | None = None) -> None:
        self.emu = emu
        token = TokenAuth(emu.issue_token(ttl_seconds=TOKEN_TTL))
        self.http = httpx.Client(
            base_url=emu.endpoint,
            auth=auth if auth is not None else token,
            headers={"Content-Type": "application/json"},
            timeout=10,
        )

    def close(self) -> None:
        self.http.close()

    def instances_path(self, suffix: str = "") -> str:
        return f"/v2/{self.emu.project_id}/instances{suffix}"

    def gc_path(self, instance_id: str | None = None, suffix: str = "") -> str:
        instance = instance_id or self.emu.main_instance_id
        return self.instances_path(f"/{instance}/system/gc{suffix}")

    def list_tasks(
        self, instance_id: str | None = None, **query: Any
    ) -> httpx.Response:
        return self.http.get(self.gc_path(instance_id), params=query)

    def show(self, gc_id: int, instance_id: str | None = None) -> httpx.Response:
        return self.http.get(self.gc_path(instance_id, f"/{gc_id}"))

    def task(self, gc_id: int, instance_id: str | None = None) -> dict[str, Any]:
        answer = self.show(gc_id, instance_id)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def stop(self, gc_id: int, instance_id: str | None = None) -> httpx.Response:
        return self.http.put(self.gc_path(instance_id, f"/{gc_id}"))

    def execute(
        self, instance_id: str | None = None, **parameters: Any
    ) -> httpx.Response:
        body = {
            "schedule": {"type": "Manual"},
            "parameters": {"workers": 2, **parameters},
        }
        return self.http.post(self.gc_path(instance_id, "/schedule"), json=body)

    def walk(
        self,
        instance_id: str | None = None,
        *,
        status: str | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Every task of a listing, page after page through the markers."""
        tasks: list[dict[str, Any]] = []
        query: dict[str, Any] = {"limit": limit}
        if status:
            query["status"] = status
        while True:
            answer = self.list_tasks(instance_id, **query)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            assert len(page["tasks"]) <= limit
            tasks += page["tasks"]
            marker = page["page_info"].get("next_marker")
            if not marker:
                return tasks
            query["marker"] = marker


def error_of(answer: httpx.Response) -> tuple[int, str]:
    """(status, error_code) of an error answer, checking its common shape."""
    assert answer.headers["content-type"].startswith("application/json")
    assert len(answer.headers["x-request-id"]) == 32
    body = answer.json()
    assert body["error_msg"]
    return answer.status_code, body["error_code"]
