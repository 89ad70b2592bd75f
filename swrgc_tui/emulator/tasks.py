"""GC task history kept as parallel columns, rendered to JSON per page.

A history of 100,000 tasks costs a few megabytes this way, against hundreds
as one dict per task; each page builds the JSON of only the tasks it holds.
Rows are in ascending id order, so listing newest first walks backwards.
"""

from __future__ import annotations

import json
import time
from array import array
from bisect import bisect_left
from collections.abc import MutableSequence, Sequence
from enum import IntEnum
from typing import NamedTuple

#: Job statuses by their column code.
STATUSES: tuple[str, ...] = ("Success", "Running", "Pending", "Stopped", "Error")
STATUS_CODES: dict[str, int] = {name: code for code, name in enumerate(STATUSES)}
SUCCESS, RUNNING, PENDING, STOPPED, ERROR = range(len(STATUSES))
KINDS: tuple[str, ...] = ("SCHEDULE", "MANUAL")
SCHEDULE, MANUAL = 0, 1
#: Job names by their column code; the first is what Harbor itself names GC.
JOB_NAMES: tuple[str, ...] = (
    "GARBAGE_COLLECTION",
    "daily-gc-task",
    "manual-gc",
    "pre-release-cleanup",
    "quota-recovery",
)
_NAMES_JSON = tuple(json.dumps(name) for name in JOB_NAMES)
_BOOL = ("false", "true")
_CHANGING = (RUNNING, PENDING)


class Quirk(IntEnum):
    """Deliberate untidiness of one task's wire form, as real servers send."""

    NONE = 0
    PARAMETERS_AS_STRING = 1  # job_parameters JSON-encoded, as Harbor does
    PARAMETERS_GARBLED = 2  # job_parameters a string that is not JSON
    NO_UPDATE_TIME = 3  # update_time missing
    NAIVE_TIMES = 4  # timestamps without a zone


class TaskRow(NamedTuple):
    """One task's values, in the order of the columns that store them."""

    task_id: int
    created: int
    updated: int
    status: int
    kind: int
    name: int
    workers: int
    delete_untagged: bool
    dry_run: bool
    purged_blobs: int = 0
    purged_manifests: int = 0
    freed_space: int = 0
    quirk: int = Quirk.NONE


def _timestamp(seconds: int, naive: bool) -> str:
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f'"{text}"' if naive else f'"{text}Z"'


class TaskColumns:
    """The GC tasks of one instance, one array per field, ids ascending."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.created = array("q")
        self.updated = array("q")
        self.status = bytearray()
        self.kind = bytearray()
        self.name = bytearray()
        self.workers = bytearray()
        self.delete_untagged = bytearray()
        self.dry_run = bytearray()
        self.blobs = array("q")
        self.manifests = array("q")
        self.freed = array("q")
        self.quirk = bytearray()
        self._rendered: dict[int, str] = {}
        # Same order as TaskRow's fields.
        self._columns: tuple[MutableSequence[int], ...] = (
            self.ids,
            self.created,
            self.updated,
            self.status,
            self.kind,
            self.name,
            self.workers,
            self.delete_untagged,
            self.dry_run,
            self.blobs,
            self.manifests,
            self.freed,
            self.quirk,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def extend(self, rows: Sequence[TaskRow]) -> None:
        """Adds tasks newer than every other, oldest first."""
        if not rows:
            return
        if self.ids and rows[0].task_id <= self.ids[-1]:
            raise ValueError("task ids must grow")
        for column, values in zip(self._columns, zip(*rows, strict=True), strict=True):
            column.extend(values)

    def append(self, row: TaskRow) -> int:
        """Adds one task newer than every other; returns its position."""
        self.extend([row])
        return len(self.ids) - 1

    def set_progress(
        self, pos: int, status: int, updated: int, figures: tuple[int, int, int]
    ) -> None:
        """Writes the current state of a task that is still changing."""
        self._rendered.pop(pos, None)
        self.status[pos] = status
        self.updated[pos] = updated
        self.blobs[pos], self.manifests[pos], self.freed[pos] = figures

    def position(self, task_id: int) -> int | None:
        """Where a task id is stored, or None if there is no such task."""
        pos = bisect_left(self.ids, task_id)
        return pos if pos < len(self.ids) and self.ids[pos] == task_id else None

    def newest_first(
        self, *, before_id: int | None, status: int | None, limit: int
    ) -> tuple[list[int], bool]:
        """Positions of up to ``limit`` tasks older than ``before_id``.

        Returns the positions, newest first, and whether more match.
        """
        end = len(self.ids) if before_id is None else bisect_left(self.ids, before_id)
        if status is None:
            first = max(end - limit, 0)
            return list(range(end - 1, first - 1, -1)), first > 0
        found: list[int] = []
        code = bytes((status,))
        while len(found) <= limit:
            # rfind scans in C; a rare status in a long history stays cheap.
            end = self.status.rfind(code, 0, end)
            if end < 0:
                break
            found.append(end)
        return found[:limit], len(found) > limit

    def to_json(self, pos: int) -> str:
        """The task at ``pos`` as the service writes it.

        A finished task never changes, so its text is kept once built: long
        listings walked again cost a lookup per task.
        """
        text = self._rendered.get(pos)
        if text is None:
            text = self._render(pos)
            if self.status[pos] not in _CHANGING:
                self._rendered[pos] = text
        return text

    def _render(self, pos: int) -> str:
        quirk = self.quirk[pos]
        naive = quirk == Quirk.NAIVE_TIMES
        updated = (
            ""
            if quirk == Quirk.NO_UPDATE_TIME
            else f',"update_time":{_timestamp(self.updated[pos], naive)}'
        )
        return (
            f'{{"id":{self.ids[pos]},"job_name":{_NAMES_JSON[self.name[pos]]},'
            f'"job_kind":"{KINDS[self.kind[pos]]}",'
            f'"job_parameters":{self._parameters_json(pos, quirk)},'
            f'"job_status":"{STATUSES[self.status[pos]]}",'
            f'"creation_time":{_timestamp(self.created[pos], naive)}{updated}}}'
        )

    def _parameters_json(self, pos: int, quirk: int) -> str:
        text = (
            f'{{"delete_untagged":{_BOOL[self.delete_untagged[pos]]},'
            f'"workers":{self.workers[pos]},'
            f'"dry_run":{_BOOL[self.dry_run[pos]]},'
            f'"purged_blobs":{self.blobs[pos]},'
            f'"purged_manifests":{self.manifests[pos]},'
            f'"freed_space":{self.freed[pos]}}}'
        )
        if quirk == Quirk.PARAMETERS_AS_STRING:
            return json.dumps(text)
        if quirk == Quirk.PARAMETERS_GARBLED:
            # Alternate the two breakages seen in the wild: a stray closing
            # quote (as in the reference page's sample) and a cut-off value.
            broken = text + '"' if pos % 2 else text[: len(text) // 2]
            return json.dumps(broken)
        return text
