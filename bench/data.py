"""GC tasks as a long-lived registry's history holds them, made up in bulk.

Daily scheduled runs share one name, as Harbor names them; about one run in
twelve was started by hand and carries a name of its own. Most succeeded,
some failed or were stopped, one in nine is a dry run, and freed space spans
bytes to hundreds of GiB. Ids and times fall as the index rises: newest first.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from swrgc_tui.api.tasks import GcTask

_NEWEST = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)
_STATUSES = ("Success",) * 17 + ("Error", "Stopped")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def task_dict(
    index: int, rng: random.Random, *, first_id: int = 10_000_000
) -> dict[str, Any]:
    """The wire form of the ``index``-th newest task."""
    created = _NEWEST - timedelta(hours=index * 6, minutes=rng.randrange(60))
    manual = rng.randrange(12) == 0
    dry_run = rng.randrange(9) == 0
    parameters = {
        "delete_untagged": rng.random() < 0.5,
        "workers": rng.randint(1, 5),
        "dry_run": dry_run,
        "purged_blobs": rng.randrange(5_000),
        "purged_manifests": rng.randrange(800),
        "freed_space": int(10 ** rng.uniform(2, 11.5)),
    }
    return {
        "id": first_id - index,
        "job_name": f"manual-gc-{first_id - index}" if manual else "GARBAGE_COLLECTION",
        "job_kind": "MANUAL" if manual else "SCHEDULE",
        # Harbor hands parameters over as a JSON-encoded string.
        "job_parameters": json.dumps(parameters),
        "job_status": rng.choice(_STATUSES),
        "creation_time": _stamp(created),
        "update_time": _stamp(created + timedelta(seconds=rng.randint(20, 5_400))),
    }


def pages(
    count: int, *, start: int = 0, size: int = 100, seed: int = 7
) -> Iterator[list[GcTask]]:
    """``count`` tasks from index ``start`` on, as parsed pages of ``size``."""
    rng = random.Random(seed + start)
    for first in range(start, start + count, size):
        last = min(first + size, start + count)
        yield [GcTask.from_wire(task_dict(i, rng)) for i in range(first, last)]


def plain_row(task: GcTask) -> tuple[str, ...]:
    """One task as a row of strings, the way a stock table would be fed."""
    params = task.job_parameters
    created = task.creation_time.isoformat() if task.creation_time else ""
    freed = str(params.freed_space) if params and params.freed_space is not None else ""
    dry = "dry" if params and params.dry_run else ""
    return (
        str(task.id),
        task.job_name,
        task.job_kind,
        task.job_status,
        created,
        "",
        freed,
        dry,
    )
