"""The asynchronous client of the SWR Enterprise API.

One :class:`SwrClient` holds one ``httpx.AsyncClient`` (a pool of kept-alive
connections) and speaks every operation swrgc-tui needs. Every request carries
``Content-Type: application/json``, as the official SDK sends it even on GET.
Failures come out as the exceptions of :mod:`swrgc_tui.api.errors`.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx

from swrgc_tui.api._answers import (
    decode_json,
    readable_tasks,
    request_id_of,
    shape_error,
)
from swrgc_tui.api._http import (
    USER_AGENT,
    Params,
    RetryPolicy,
    Sender,
    Sleep,
    Timeouts,
    check_endpoint,
    json_body,
)
from swrgc_tui.api._pages import TaskTexts, read_task_page
from swrgc_tui.api.errors import ProtocolError
from swrgc_tui.api.tasks import MAX_LIMIT, GcTask, GcTaskPage, TaskShapeError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from swrgc_tui.api.models import (
        GcParameters,
        GcSchedule,
        Instance,
        InstanceList,
    )

__all__ = [
    "MAX_LIMIT",
    "USER_AGENT",
    "RetryPolicy",
    "SwrClient",
    "TaskTexts",
    "Timeouts",
    "check_endpoint",
]

SCHEDULE_TYPES = ("None", "Custom")
MODELS = "swrgc_tui.api.models"

Model = TypeVar("Model", bound="BaseModel")


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise ValueError(f"limit must be a whole number, not {limit!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


def _segment(value: str | int, what: str) -> str:
    """One path segment, encoded so no id can change the path's shape."""
    text = str(value).strip()
    if not text or isinstance(value, bool):
        raise ValueError(f"{what} must not be empty")
    return quote(text, safe="")


class SwrClient:
    """Asynchronous client of one project's SWR Enterprise instances.

    Args:
        endpoint: ``https://swr-api.{region}.myhuaweicloud.com`` or another base
            URL (a local emulator, a proxy with a path prefix).
        project_id: the project whose instances to read.
        auth: :class:`~swrgc_tui.api.auth.TokenAuth` or
            :class:`~swrgc_tui.api.auth.AkSkAuth`; replace it at any time (after
            a new login, say) by assigning :attr:`auth`.
        timeouts: connect and read limits in seconds.
        retry: how GET requests are retried on throttling, 5xx and lost
            connections. Changes (PUT, POST) are only retried when they
            never reached the server.
        transport: an httpx transport to use instead of the network (tests).
        sleep: what waits between retries (tests pass a fake).
    """

    def __init__(
        self,
        endpoint: str,
        project_id: str,
        auth: httpx.Auth,
        *,
        timeouts: Timeouts = Timeouts(),  # noqa: B008 - frozen, shared safely
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.endpoint = check_endpoint(endpoint)
        self.project_id = project_id.strip()
        self.auth = auth
        self._prefix = f"/v2/{_segment(project_id, 'the project id')}/instances"
        self._sender = Sender.open(
            self.endpoint,
            timeouts=timeouts,
            retry=retry,
            transport=transport,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"SwrClient({self.endpoint!r}, project_id={self.project_id!r})"

    async def __aenter__(self) -> SwrClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the connections; the client cannot be used afterwards."""
        await self._sender.client.aclose()

    async def _call(
        self, method: str, path: str, *, params: Params = None, body: Any = None
    ) -> httpx.Response:
        content = json_body(body) if body is not None else b""
        return await self._sender.send(
            method, self._prefix + path, auth=self.auth, params=params, body=content
        )

    async def _read(
        self, model: type[Model], path: str, params: Params = None
    ) -> Model:
        response = await self._call("GET", path, params=params)
        return _validated(model, response, f"GET {response.request.url.path}")

    def _instance(self, instance_id: str) -> str:
        return "/" + _segment(instance_id, "the instance id")

    def _gc(self, instance_id: str, tail: str = "") -> str:
        return f"{self._instance(instance_id)}/system/gc{tail}"

    # -- instances -----------------------------------------------------------

    async def list_instances_page(
        self, *, offset: int = 0, limit: int = MAX_LIMIT, status: str | None = None
    ) -> InstanceList:
        """One page of ListInstance, starting at ``offset``."""
        if offset < 0:
            raise ValueError(f"offset must not be negative, not {offset}")
        await _models_loaded()
        from swrgc_tui.api.models import InstanceList

        query = {"offset": offset, "limit": _check_limit(limit), "status": status}
        return await self._read(InstanceList, "", query)

    async def list_instances(self, *, status: str | None = None) -> list[Instance]:
        """Every instance of the project, all pages read."""
        found: dict[str, Instance] = {}
        offset = 0
        while True:
            page = await self.list_instances_page(offset=offset, status=status)
            offset += len(page.instances)
            fresh = [i for i in page.instances if i.id not in found]
            found.update((instance.id, instance) for instance in fresh)
            # A short page, a page of nothing new or a full count ends it.
            if len(page.instances) < MAX_LIMIT or not fresh:
                return list(found.values())
            if page.total and len(found) >= page.total:
                return list(found.values())

    async def show_instance(self, instance_id: str) -> Instance:
        """One instance by id."""
        await _models_loaded()
        from swrgc_tui.api.models import Instance

        return await self._read(Instance, self._instance(instance_id))

    # -- GC history ----------------------------------------------------------

    async def list_gc_tasks(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = MAX_LIMIT,
        status: str | None = None,
    ) -> GcTaskPage:
        """One page of GC runs, newest first, as models.

        A run the server describes without a usable id is left out (and
        logged); a page where no run is readable is a ProtocolError.
        """
        page, request_id = await self._gc_page(instance_id, marker, limit, status)
        tasks = readable_tasks(page.tasks, request_id)
        return GcTaskPage(tasks=tasks, next_marker=page.next_marker)

    async def list_gc_tasks_raw(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = MAX_LIMIT,
        status: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of GC runs as decoded JSON objects, plus the next marker.

        The fast path for streaming: the page's shape is checked, the runs
        themselves are passed on as the server sent them.
        """
        page, _ = await self._gc_page(instance_id, marker, limit, status)
        return page.tasks, page.next_marker

    async def list_gc_task_texts(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = MAX_LIMIT,
        status: str | None = None,
    ) -> TaskTexts:
        """One page of GC runs as :meth:`list_gc_tasks_raw` reads it, with
        each run's JSON text as the server sent it (when it could be told)."""
        page, _ = await self._gc_page(instance_id, marker, limit, status)
        return page

    async def _gc_page(
        self, instance_id: str, marker: str | None, limit: int, status: str | None
    ) -> tuple[TaskTexts, str]:
        limit = _check_limit(limit)
        query = {"marker": marker or None, "limit": limit, "status": status}
        response = await self._call("GET", self._gc(instance_id), params=query)
        what = f"GET {response.request.url.path}"
        request_id = request_id_of(response)
        return read_task_page(response, what, request_id), request_id

    async def show_gc_task(self, instance_id: str, gc_id: int) -> GcTask:
        """One GC run by id."""
        path = self._gc(instance_id, f"/{_gc_id(gc_id)}")
        response = await self._call("GET", path)
        what = f"GET {response.request.url.path}"
        try:
            return GcTask.from_wire(decode_json(response, what))
        except TaskShapeError as exc:
            raise ProtocolError(
                f"{what}: unexpected answer ({exc})", request_id=request_id_of(response)
            ) from None

    async def stop_gc_task(self, instance_id: str, gc_id: int) -> None:
        """Asks a running GC to stop."""
        await self._call("PUT", self._gc(instance_id, f"/{_gc_id(gc_id)}"))

    # -- schedule ------------------------------------------------------------

    async def show_gc_schedule(self, instance_id: str) -> GcSchedule:
        """When GC runs by itself, and with which parameters."""
        await _models_loaded()
        from swrgc_tui.api.models import GcSchedule

        return await self._read(GcSchedule, self._gc(instance_id, "/schedule"))

    async def update_gc_schedule(
        self,
        instance_id: str,
        *,
        schedule_type: str,
        cron: str,
        parameters: GcParameters,
    ) -> None:
        """Sets the schedule: ``"Custom"`` with a cron line, or ``"None"``."""
        if schedule_type not in SCHEDULE_TYPES:
            raise ValueError(
                f"schedule type must be one of {', '.join(SCHEDULE_TYPES)}, "
                f"not {schedule_type!r}"
            )
        body = {
            "schedule": {"type": schedule_type, "cron": cron},
            "parameters": parameters.model_dump(),
        }
        await self._call("PUT", self._gc(instance_id, "/schedule"), body=body)

    async def execute_gc(self, instance_id: str, parameters: GcParameters) -> int:
        """Starts a GC run now; returns the new run's id."""
        body = {"schedule": {"type": "Manual"}, "parameters": parameters.model_dump()}
        response = await self._call(
            "POST", self._gc(instance_id, "/schedule"), body=body
        )
        await _models_loaded()
        from swrgc_tui.api.models import ExecuteResult

        what = f"POST {response.request.url.path}"
        return _validated(ExecuteResult, response, what).id


async def _models_loaded() -> None:
    """Imports the pydantic models the first time one is needed, in a thread.

    Loading pydantic takes about 150 ms of CPU; done on the event loop, that
    would be 150 ms in which a TUI answers no key.
    """
    if MODELS not in sys.modules:
        await asyncio.to_thread(importlib.import_module, MODELS)


def _validated(model: type[Model], response: httpx.Response, what: str) -> Model:
    """The answer's JSON read as ``model``; ProtocolError naming what is wrong."""
    from pydantic import ValidationError

    try:
        return model.model_validate(decode_json(response, what))
    except ValidationError as exc:
        raise shape_error(what, exc, request_id_of(response)) from None


def _gc_id(gc_id: int) -> str:
    if isinstance(gc_id, bool) or not isinstance(gc_id, int) or gc_id < 0:
        raise ValueError(f"a GC task id is a whole number, not {gc_id!r}")
    return str(gc_id)
