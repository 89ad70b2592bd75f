"""Headless listings: GC tasks and instances streamed to stdout page by page.

Built for long histories: tasks stay the decoded JSON the client hands back
(no model object per task), each page is written as one chunk, and the next
page is asked for before the current one is written. ``jsonl`` and ``json``
print a task's own text when it already is the compact JSON they would make
of it, and keep the server's strings as they are either way (JSON escapes
control characters itself); the column formats are in :mod:`swrgc_tui.columns`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TextIO

from swrgc_tui.api.errors import PagingError, SwrError
from swrgc_tui.writers import (
    JsonLinesWriter,
    JsonObjectsWriter,
    JsonWriter,
    Writer,
    encode_json,
)

if TYPE_CHECKING:
    import argparse

    from swrgc_tui.api.client import SwrClient, TaskTexts
    from swrgc_tui.api.models import Instance
    from swrgc_tui.config import Settings
    from swrgc_tui.credentials import Credentials

logger = logging.getLogger(__name__)
FORMATS: tuple[str, ...] = ("jsonl", "json", "csv", "table")
Row = dict[str, Any]
#: Tasks of a page, each with its JSON text as the server sent it (or None).
Page = list[tuple[Row, str | None]]
#: Types of job_parameters that normalize_task leaves as they are.
_AS_SENT = (dict, type(None))


class UsageError(Exception):
    """The command cannot go on without a choice from the user."""


def normalize_task(task: Row) -> Row:
    """The task with ``job_parameters`` as an object, or flagged as unreadable.

    A JSON-encoded string (as Harbor sends it) is decoded; anything that is
    not an object ends up as a string beside a ``job_parameters_error``.
    """
    params = task.get("job_parameters")
    if params is None or isinstance(params, dict):
        return task
    if not isinstance(params, str):
        problem = f"expected an object, got {type(params).__name__}"
        return {
            **task,
            "job_parameters": json.dumps(params),
            "job_parameters_error": problem,
        }
    try:
        decoded = json.loads(params)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} at character {exc.pos}"
        return {**task, "job_parameters_error": problem}
    if decoded is None or isinstance(decoded, dict):
        return {**task, "job_parameters": decoded}
    problem = f"expected a JSON object, got {type(decoded).__name__}"
    return {**task, "job_parameters_error": problem}


_JSON_WRITERS: dict[str, type[Writer]] = {
    "jsonl": JsonLinesWriter,
    "json": JsonWriter,
}


def task_writer(fmt: str, out: TextIO) -> Writer:
    """The writer of GC tasks in one of :data:`FORMATS`."""
    if fmt in _JSON_WRITERS:
        return _JSON_WRITERS[fmt](out)
    from swrgc_tui import columns

    return columns.task_writer(fmt, out)


def instance_writer(fmt: str, out: TextIO) -> Writer:
    """The writer of instances in one of :data:`FORMATS`."""
    if fmt in _JSON_WRITERS:
        return _JSON_WRITERS[fmt](out)
    from swrgc_tui import columns

    return columns.instance_writer(fmt, out)


#: Turns of the event loop a new request takes (connection pool, locks, the
#: socket write) before its bytes are on their way. More only costs
#: microseconds; fewer would merely lose the overlap, never a page.
_LAUNCH_TURNS = 8


async def _let_it_leave() -> None:
    """Lets a request just created go out before this task carries on."""
    for _ in range(_LAUNCH_TURNS):
        await asyncio.sleep(0)


class _MarkerChain:
    """One listing's pages, each asked for as soon as its marker is known.

    The next request goes out before the current page is written, so the
    server prepares it while this process encodes and prints; there is
    still never more than one request in flight.
    """

    def __init__(
        self,
        fetch: Callable[..., Awaitable[TaskTexts]],
        page_size: int,
        max_tasks: int | None,
    ) -> None:
        self._fetch = fetch
        self._page_size = page_size
        self._room = sys.maxsize if max_tasks is None else max_tasks
        self._markers: set[str] = set()
        self._ids: set[object] = set()
        self._request: asyncio.Task[TaskTexts] | None = None
        self.written = 0

    def ask(self, marker: str | None) -> None:
        """Sends the request for the page that ``marker`` starts."""
        limit = min(self._page_size, self._room)
        self._request = asyncio.ensure_future(self._fetch(marker=marker, limit=limit))

    async def next_page(self) -> Page | None:
        """The next page's unseen tasks; None once the chain or ``max`` ends."""
        if self._request is None:
            return None
        page = await self._request
        self._request = None
        marker = page.next_marker
        fresh = _unseen(page, self._ids)[: self._room]
        self._room -= len(fresh)
        self.written += len(fresh)
        if marker and self._room > 0:
            if marker in self._markers:
                raise PagingError(
                    f"the server repeated the page marker {marker[:40]!r}"
                )
            self._markers.add(marker)
            self.ask(marker)
            await _let_it_leave()
        return fresh

    async def close(self) -> None:
        """Abandons a request still in flight (the reader left, say)."""
        request, self._request = self._request, None
        if request is not None and not request.done():
            request.cancel()
            with contextlib.suppress(asyncio.CancelledError, SwrError):
                await request


async def stream_tasks(
    client: SwrClient,
    instance_id: str,
    writer: Writer,
    *,
    status: str | None = None,
    max_tasks: int | None = None,
    page_size: int = 100,
) -> int:
    """Writes the instance's GC tasks, newest first, page by page.

    Stops after ``max_tasks`` when given. Tasks already written are skipped
    if a page repeats them.

    Returns:
        How many tasks were written.

    Raises:
        PagingError: the server handed back a marker it had given before.
    """
    fetch = functools.partial(client.list_gc_task_texts, instance_id, status=status)
    chain = _MarkerChain(fetch, page_size, max_tasks)
    chain.ask(None)
    try:
        while (page := await chain.next_page()) is not None:
            _write_page(writer, page)
    finally:
        await chain.close()
    writer.close()
    return chain.written


def _unseen(page: TaskTexts, seen: set[object]) -> Page:
    fresh: Page = []
    for task, text in zip(page.tasks, page.texts, strict=True):
        key = task.get("id")
        if isinstance(key, int | str):
            if key in seen:
                continue
            seen.add(key)
        fresh.append((task, text))
    return fresh


def _write_page(writer: Writer, page: Page) -> None:
    if isinstance(writer, JsonObjectsWriter):
        writer.texts([_json_text(task, text) for task, text in page])
    else:
        writer.rows([normalize_task(task) for task, _ in page])


def _json_text(task: Row, text: str | None) -> str:
    """The task as one line of compact JSON: the server's own text when the
    client had it and the task needs no normalising (encoding it again is
    most of what a long listing costs), else the task encoded."""
    if text is not None and type(task.get("job_parameters")) in _AS_SENT:
        return text
    return encode_json(normalize_task(task))


async def stream_instances(client: SwrClient, writer: Writer) -> int:
    """Writes every instance of the project, one ListInstance page at a time."""
    offset = written = 0
    while True:
        page = await client.list_instances_page(offset=offset, limit=100)
        writer.rows([inst.model_dump(mode="json") for inst in page.instances])
        written += len(page.instances)
        offset += len(page.instances)
        if not page.instances or offset >= page.total:
            break
    writer.close()
    return written


async def choose_instance(client: SwrClient, wanted: str | None) -> str:
    """The instance to list: the one asked for, else the project's only one.

    Raises:
        UsageError: the project has none, or several and none was chosen.
    """
    if wanted:
        return wanted
    instances = await client.list_instances()
    if len(instances) == 1:
        return instances[0].id
    if not instances:
        raise UsageError("the project has no SWR Enterprise instances")
    lines = "\n".join(_instance_line(inst) for inst in instances)
    raise UsageError(
        f"the project has {len(instances)} instances; choose one with "
        f"--instance ID (or a profile's instance setting):\n{lines}"
    )


def _instance_line(instance: Instance) -> str:
    from swrgc_tui.formatting import safe_text

    name, status = safe_text(instance.name), safe_text(instance.status)
    return f"  {safe_text(instance.id)}  {name} ({status})"


async def _open_client(settings: Settings, credentials: Credentials) -> SwrClient:
    from swrgc_tui.connect import open_client

    client, _ = await open_client(settings, credentials)
    return client


async def tasks_command(
    args: argparse.Namespace, settings: Settings, credentials: Credentials
) -> int:
    """``swrgc-tui tasks``: the chosen instance's GC tasks to stdout."""
    async with await _open_client(settings, credentials) as client:
        instance_id = await choose_instance(client, settings.instance)
        await stream_tasks(
            client,
            instance_id,
            task_writer(args.format, sys.stdout),
            status=args.status,
            max_tasks=args.max,
            page_size=settings.page_size,
        )
    return 0


async def instances_command(
    args: argparse.Namespace, settings: Settings, credentials: Credentials
) -> int:
    """``swrgc-tui instances``: the project's instances to stdout."""
    async with await _open_client(settings, credentials) as client:
        await stream_instances(client, instance_writer(args.format, sys.stdout))
    return 0
