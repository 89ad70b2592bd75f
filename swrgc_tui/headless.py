"""Headless listings: GC tasks and instances streamed to stdout page by page.

Built for long histories: tasks stay the decoded JSON the client hands back
(no model object per task), each page is encoded in one go and written as one
chunk, and the next page is asked for as soon as the last one is out.
``jsonl``, ``json`` and ``csv`` keep the server's text as it is (valid
documents; JSON escapes control characters itself); ``table`` is meant for a
terminal and strips escape sequences from everything the server sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from swrgc_tui.api.errors import PagingError
from swrgc_tui.api.models import ACTIVE_STATUSES, parse_timestamp
from swrgc_tui.formatting import freed_text, local_time, run_time, safe_text
from swrgc_tui.writers import (
    Column,
    CsvWriter,
    JsonLinesWriter,
    JsonWriter,
    TableWriter,
    Writer,
)

if TYPE_CHECKING:
    from swrgc_tui.api.client import SwrClient
    from swrgc_tui.api.models import Instance

FORMATS: tuple[str, ...] = ("jsonl", "json", "csv", "table")
Row = dict[str, Any]


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


def _params(task: Row) -> Row:
    params = task.get("job_parameters")
    return params if isinstance(params, dict) else {}


def _number(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _yes(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text == "true" else False if text == "false" else None


def _duration(task: Row) -> str:
    created = parse_timestamp(task.get("creation_time"))
    updated = parse_timestamp(task.get("update_time"))
    active = task.get("job_status") in ACTIVE_STATUSES
    return run_time(created, updated, active, datetime.now(UTC))


def _when(value: object) -> str:
    moment = parse_timestamp(value)
    return local_time(moment) if moment else "—"


def _freed(task: Row) -> str:
    params = _params(task)
    freed = _number(params.get("freed_space"))
    return freed_text(freed, bool(_yes(params.get("dry_run"))))


def _dry_run(task: Row) -> str:
    flag = _yes(_params(task).get("dry_run"))
    return "—" if flag is None else "yes" if flag else "no"


def _text(key: str) -> Callable[[Row], str]:
    return lambda row: safe_text(str(row.get(key) or ""))


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _param(key: str) -> Callable[[Row], str]:
    return lambda row: _csv_value(_params(row).get(key))


def _field(key: str) -> Callable[[Row], str]:
    return lambda row: _csv_value(row.get(key))


TASK_TABLE = (
    Column("ID", _field("id"), cap=0, right=True),
    Column("NAME", _text("job_name"), cap=40),
    Column("KIND", _text("job_kind"), cap=8),
    Column("STATUS", _text("job_status"), cap=10),
    Column("CREATED", lambda row: _when(row.get("creation_time")), cap=19),
    Column("DURATION", _duration, cap=10, right=True),
    Column("FREED", _freed, cap=12, right=True),
    Column("DRY-RUN", _dry_run, cap=7),
)
_PARAMS = ("delete_untagged", "workers", "dry_run", "purged_blobs", "purged_manifests")
TASK_CSV = (
    *(Column(key, _field(key)) for key in ("id", "job_name", "job_kind", "job_status")),
    Column("creation_time", _field("creation_time")),
    Column("update_time", _field("update_time")),
    *(Column(key, _param(key)) for key in (*_PARAMS, "freed_space")),
    Column("job_parameters_error", _field("job_parameters_error")),
    Column(
        "job_parameters_raw",
        lambda row: row["job_parameters"] if "job_parameters_error" in row else "",
    ),
)
INSTANCE_TABLE = (
    Column("ID", _field("id"), cap=0),
    Column("NAME", _text("name"), cap=30),
    Column("STATUS", _text("status"), cap=12),
    Column("SPEC", _text("spec"), cap=22),
    Column("VERSION", _text("version"), cap=12),
    Column("CREATED", lambda row: _when(row.get("created_at")), cap=19),
    Column("ACCESS ADDRESS", _text("access_address")),
)


def task_writer(fmt: str, out: TextIO) -> Writer:
    """The writer of GC tasks in one of :data:`FORMATS`."""
    return _writer(fmt, out, TASK_TABLE, TASK_CSV)


def instance_writer(fmt: str, out: TextIO) -> Writer:
    """The writer of instances in one of :data:`FORMATS`; CSV has every field."""
    from swrgc_tui.api.models import Instance

    csv_columns = tuple(Column(name, _field(name)) for name in Instance.model_fields)
    return _writer(fmt, out, INSTANCE_TABLE, csv_columns)


def _writer(
    fmt: str, out: TextIO, table: Iterable[Column], csv: Iterable[Column]
) -> Writer:
    if fmt == "jsonl":
        return JsonLinesWriter(out)
    if fmt == "json":
        return JsonWriter(out)
    if fmt == "csv":
        return CsvWriter(out, tuple(csv), sanitize=out.isatty())
    return TableWriter(out, tuple(table))


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
    seen_markers: set[str] = set()
    seen_ids: set[object] = set()
    marker: str | None = None
    written = 0
    while max_tasks is None or written < max_tasks:
        limit = page_size if max_tasks is None else min(page_size, max_tasks - written)
        tasks, marker = await client.list_gc_tasks_raw(
            instance_id, marker=marker, limit=limit, status=status
        )
        fresh = [normalize_task(t) for t in _unseen(tasks, seen_ids)]
        if max_tasks is not None:
            fresh = fresh[: max_tasks - written]
        writer.rows(fresh)
        written += len(fresh)
        if not marker:
            break
        if marker in seen_markers:
            raise PagingError(f"the server repeated the page marker {marker[:40]!r}")
        seen_markers.add(marker)
    writer.close()
    return written


def _unseen(tasks: Iterable[Row], seen: set[object]) -> list[Row]:
    fresh = []
    for task in tasks:
        key = task.get("id")
        if isinstance(key, int | str):
            if key in seen:
                continue
            seen.add(key)
        fresh.append(task)
    return fresh


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
    name, status = safe_text(instance.name), safe_text(instance.status)
    return f"  {safe_text(instance.id)}  {name} ({status})"
