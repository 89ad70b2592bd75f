"""The API client as the screens see it, and a stand-in while it opens.

When the first page was fetched at start-up, the first screen needs no
client to show it. The HTTP stack then loads after the first frame instead
of before it: :class:`PendingClient` takes the client's place meanwhile,
opens the real one on the first call that needs it (or when told to), and
passes every call on to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from swrgc_tui.api.client import SwrClient
    from swrgc_tui.api.models import Instance
    from swrgc_tui.api.tasks import GcTask, GcTaskPage


class ApiClient(Protocol):
    """What the screens ask of the API."""

    async def list_gc_tasks(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = 100,
        status: str | None = None,
    ) -> GcTaskPage: ...

    async def show_gc_task(self, instance_id: str, gc_id: int) -> GcTask: ...

    async def show_instance(self, instance_id: str) -> Instance: ...


class PendingClient:
    """Stands in for the client until it is open; every call waits for it.

    Args:
        opener: opens the real client; its errors reach the calls waiting.
    """

    def __init__(self, opener: Callable[[], Awaitable[SwrClient]]) -> None:
        self._opener = opener
        self._opening: asyncio.Future[SwrClient] | None = None

    def open(self) -> asyncio.Future[SwrClient]:
        """Starts opening the client, once; the future gives it."""
        if self._opening is None or (
            self._opening.done() and self._opening.exception() is not None
        ):
            self._opening = asyncio.ensure_future(self._opener())
        return self._opening

    async def _client(self) -> SwrClient:
        # Shielded: a caller that gives up must not cancel the opening that
        # other callers are waiting for too.
        return await asyncio.shield(self.open())

    async def list_gc_tasks(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = 100,
        status: str | None = None,
    ) -> GcTaskPage:
        client = await self._client()
        return await client.list_gc_tasks(
            instance_id, marker=marker, limit=limit, status=status
        )

    async def show_gc_task(self, instance_id: str, gc_id: int) -> GcTask:
        return await (await self._client()).show_gc_task(instance_id, gc_id)

    async def show_instance(self, instance_id: str) -> Instance:
        return await (await self._client()).show_instance(instance_id)
