"""The loaded GC tasks of one listing, kept compactly in columns.

A long history holds a hundred thousand tasks, so a row is not an object:
each field lives in a typed column (``array``/``bytearray``), statuses and
kinds as one-byte codes, times as epoch seconds, and a :class:`GcTask` is
rebuilt only when asked for. The original object is kept only for the rare
task the columns cannot hold exactly (unknown fields, unparseable parameters,
sub-second times, numbers out of range).

Rows are ordered newest first. They arrive at the bottom as pages load and at
the top as live refresh finds new tasks, so the column slots are append-only
and two index arrays give the order: ``_top`` holds the slots inserted above,
the latest last, and ``_bottom`` the rest.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import chain
from typing import Any, NamedTuple

from swrgc_tui import formatting as fmt
from swrgc_tui.api.tasks import (
    ACTIVE_STATUSES,
    KNOWN_KINDS,
    KNOWN_STATUSES,
    GcTask,
    JobParameters,
)

_NONE = -(2**63)  # "missing" in an int column; no value the columns keep
_MAX = 2**63 - 1
_NO_WORKERS = -128  # "missing" in the workers column
_OVERFLOW = 255  # code of a status or kind that only the kept original knows
_NAME_POOL_SIZE = 256
_NUMBERS = ("freed_space", "purged_blobs", "purged_manifests")

# Bits of the parameter flags byte.
_HAS_PARAMS, _UNTAGGED_SET, _UNTAGGED, _DRY_SET, _DRY = 1, 2, 4, 8, 16


class RowCells(NamedTuple):
    """The display strings of one row, each already safe to draw."""

    task_id: str
    name: str
    kind: str
    status: str
    created: str
    duration: str
    freed: str
    dry: str
    active: bool


class _Codes:
    """One-byte codes for text values, starting with the documented ones."""

    def __init__(self, known: Iterable[str]) -> None:
        self.texts: list[str] = list(known)
        self.codes = {text: code for code, text in enumerate(self.texts)}

    def code(self, text: str) -> int:
        code = self.codes.get(text)
        if code is None:
            if len(self.texts) >= _OVERFLOW:
                return _OVERFLOW
            code = self.codes[text] = len(self.texts)
            self.texts.append(text)
        return code


def _fits(value: int | None) -> bool:
    return value is None or _NONE < value <= _MAX


def _clamped(value: int | None) -> int:
    return _NONE if value is None else max(_NONE + 1, min(_MAX, value))


def _epoch(moment: datetime | None) -> int:
    return _NONE if moment is None else int(moment.timestamp())


def _moment(epoch: int) -> datetime | None:
    return None if epoch == _NONE else datetime.fromtimestamp(epoch, UTC)


def _is_plain(task: GcTask) -> bool:
    """Whether the columns can give this task back exactly."""
    if task.extra or task.job_parameters_raw is not None:
        return False
    if any(t and t.microsecond for t in (task.creation_time, task.update_time)):
        return False
    params = task.job_parameters or JobParameters()
    workers = params.workers
    return (
        not params.extra
        and (workers is None or _NO_WORKERS < workers < 128)
        and all(_fits(getattr(params, name)) for name in _NUMBERS)
        and _fits(task.id)
    )


def _flags(params: JobParameters | None) -> int:
    if params is None:
        return 0
    bits = _HAS_PARAMS
    if params.delete_untagged is not None:
        bits |= _UNTAGGED_SET | (_UNTAGGED if params.delete_untagged else 0)
    if params.dry_run is not None:
        bits |= _DRY_SET | (_DRY if params.dry_run else 0)
    return bits


class TaskStore:
    """The tasks of one listing (instance × status filter), newest first.

    An index is a row number: 0 is the top row of the table.
    """

    def __init__(self) -> None:
        self.revision = 0
        """Changes whenever a row at an existing index may read differently;
        appending at the bottom leaves it as it is."""
        self.clear()

    def clear(self) -> None:
        """Forgets every task."""
        self._ids, self._created, self._updated = array("q"), array("q"), array("q")
        self._numbers = {name: array("q") for name in _NUMBERS}
        self._workers = array("b")
        self._names: list[str] = []
        self._statuses, self._kinds, self._flags = bytearray(), bytearray(), bytearray()
        self._top, self._bottom = array("i"), array("i")
        self._pos = array("i")  # slot -> place p in _bottom, or -(1 + p) in _top
        self._slot_of: dict[int, int] = {}
        self._rare: dict[int, GcTask] = {}
        self._name_pool: dict[str, str] = {}
        self._status_codes, self._kind_codes = (
            _Codes(KNOWN_STATUSES),
            _Codes(KNOWN_KINDS),
        )
        self._counts = [0] * 256
        self.id_width = 1
        """Digits of the longest id loaded, to size the ID column."""
        self.revision += 1

    def __len__(self) -> int:
        return len(self._top) + len(self._bottom)

    def extend(self, tasks: Iterable[GcTask]) -> int:
        """Appends tasks at the bottom, skipping ids already loaded.

        Returns:
            How many tasks were added.
        """
        added = 0
        for task in tasks:
            if task.id not in self._slot_of:
                self._pos.append(len(self._bottom))
                self._bottom.append(self._new_slot(task))
                added += 1
        return added

    def merge_newer(self, tasks: Iterable[GcTask]) -> int:
        """Takes in a fresh first page: new ids go on top, known ones update.

        Args:
            tasks: tasks newest first, as the server lists them.

        Returns:
            How many tasks were inserted at the top.
        """
        fresh: dict[int, GcTask] = {}
        for task in tasks:
            if task.id in self._slot_of:
                self.update(task)
            else:
                fresh.setdefault(task.id, task)
        for task in reversed(fresh.values()):
            self._pos.append(-1 - len(self._top))
            self._top.append(self._new_slot(task))
        self.revision += bool(fresh)
        return len(fresh)

    def update(self, task: GcTask) -> int | None:
        """Replaces the values of a loaded task.

        Returns:
            The task's index, or None when it is not loaded.
        """
        slot = self._slot_of.get(task.id)
        if slot is None:
            return None
        self._counts[self._statuses[slot]] -= 1
        self._write(slot, task)
        self.revision += 1
        return self._index(slot)

    def _new_slot(self, task: GcTask) -> int:
        slot = len(self._ids)
        for column in (
            self._ids,
            self._created,
            self._updated,
            *self._numbers.values(),
        ):
            column.append(_NONE)
        self._workers.append(_NO_WORKERS)
        self._names.append("")
        for codes in (self._statuses, self._kinds, self._flags):
            codes.append(0)
        self._slot_of[task.id] = slot
        self.id_width = max(self.id_width, len(str(task.id)))
        self._write(slot, task)
        return slot

    def _write(self, slot: int, task: GcTask) -> None:
        status = self._status_codes.code(task.job_status)
        kind = self._kind_codes.code(task.job_kind)
        if _is_plain(task) and _OVERFLOW not in (status, kind):
            self._rare.pop(slot, None)
        else:
            self._rare[slot] = task  # frozen: kept as it is, handed out as it is
        self._ids[slot] = _clamped(task.id)
        self._names[slot] = self._pooled(task.job_name)
        self._statuses[slot], self._kinds[slot] = status, kind
        self._counts[status] += 1
        self._created[slot] = _epoch(task.creation_time)
        self._updated[slot] = _epoch(task.update_time)
        params = task.job_parameters
        self._flags[slot] = _flags(params)
        params = params or JobParameters()
        for name, column in self._numbers.items():
            column[slot] = _clamped(getattr(params, name))
        workers = params.workers
        self._workers[slot] = (
            _NO_WORKERS if workers is None else max(-127, min(127, workers))
        )

    def _pooled(self, name: str) -> str:
        # Scheduled runs tend to share a name: keep one copy of each of a few.
        shared = self._name_pool.get(name)
        if shared is None and len(self._name_pool) < _NAME_POOL_SIZE:
            shared = self._name_pool[name] = name
        return name if shared is None else shared

    def _slot(self, index: int) -> int:
        top = len(self._top)
        if index < 0:
            index += len(self)
        return self._top[top - 1 - index] if index < top else self._bottom[index - top]

    def _index(self, slot: int) -> int:
        # Place p in _bottom is row len(_top) + p; place p in _top, kept as
        # -(1 + p), is row len(_top) - 1 - p: the same sum either way.
        return len(self._top) + self._pos[slot]

    def task_id(self, index: int) -> int:
        """The id of the task at ``index``."""
        slot = self._slot(index)
        rare = self._rare.get(slot)
        return self._ids[slot] if rare is None else rare.id

    def status(self, index: int) -> str:
        """The status of the task at ``index``, as the server sent it."""
        return self._text(self._slot(index), self._statuses, self._status_codes)

    def _text(self, slot: int, column: bytearray, codes: _Codes) -> str:
        code = column[slot]
        if code != _OVERFLOW:
            return codes.texts[code]
        rare = self._rare[slot]
        return rare.job_status if column is self._statuses else rare.job_kind

    def index_of(self, task_id: int) -> int | None:
        """The index of a loaded task, or None."""
        slot = self._slot_of.get(task_id)
        return None if slot is None else self._index(slot)

    def task(self, index: int) -> GcTask:
        """Rebuilds the task at ``index`` as a model."""
        slot = self._slot(index)
        rare = self._rare.get(slot)
        if rare is not None:
            return rare
        return GcTask(
            id=self._ids[slot],
            job_name=self._names[slot],
            job_kind=self._kind_codes.texts[self._kinds[slot]],
            job_status=self._status_codes.texts[self._statuses[slot]],
            job_parameters=self._parameters(slot),
            creation_time=_moment(self._created[slot]),
            update_time=_moment(self._updated[slot]),
        )

    def _parameters(self, slot: int) -> JobParameters | None:
        flags = self._flags[slot]
        if not flags & _HAS_PARAMS:
            return None
        values: dict[str, Any] = {n: c[slot] for n, c in self._numbers.items()}
        values["workers"] = self._workers[slot]
        if flags & _UNTAGGED_SET:
            values["delete_untagged"] = bool(flags & _UNTAGGED)
        if flags & _DRY_SET:
            values["dry_run"] = bool(flags & _DRY)
        missing = (_NONE, _NO_WORKERS)
        return JobParameters(
            **{key: value for key, value in values.items() if value not in missing}
        )

    def status_counts(self) -> dict[str, int]:
        """Loaded tasks per status; every documented status is present."""
        counts = dict.fromkeys(KNOWN_STATUSES, 0)
        for code, text in enumerate(self._status_codes.texts):
            if self._counts[code] or text in counts:
                counts[text] = self._counts[code]
        for slot, task in self._rare.items():
            if self._statuses[slot] == _OVERFLOW:
                counts[task.job_status] = counts.get(task.job_status, 0) + 1
        return counts

    def active_ids(self) -> list[int]:
        """Ids of the Running and Pending tasks, top to bottom."""
        slots: list[int] = []
        for status in ACTIVE_STATUSES:
            code = self._status_codes.codes[status]
            slot = self._statuses.find(code)
            while slot >= 0:
                slots.append(slot)
                slot = self._statuses.find(code, slot + 1)
        slots.sort(key=self._index)
        return [self._ids[slot] for slot in slots]

    def find(self, text: str, start: int, forward: bool = True) -> int | None:
        """Finds a row whose name contains ``text`` or whose id starts with it.

        Looks at ``start`` first, then onwards (or backwards), wrapping around
        the loaded rows; names match regardless of case.

        Returns:
            The index of the first match, or None.
        """
        needle = text.strip().removeprefix("#").casefold()
        count = len(self)
        if not needle or not count:
            return None
        start %= count
        if forward:
            order = chain(range(start, count), range(start))
        else:
            order = chain(range(start, -1, -1), range(count - 1, start, -1))
        by_id = needle.isdigit()
        seen: dict[str, bool] = {}
        for index in order:
            slot = self._slot(index)
            name = self._names[slot]
            hit = seen.get(name)
            if hit is None:
                hit = seen[name] = needle in name.casefold()
            if hit or (by_id and str(self._ids[slot]).startswith(needle)):
                return index
        return None

    def row_cells(self, index: int, time_mode: str, now: datetime) -> RowCells:
        """The display strings of one row.

        Args:
            index: the row.
            time_mode: "relative", "local" or "utc", for the Created cell.
            now: the present, for relative times and running durations.
        """
        slot = self._slot(index)
        status = self._text(slot, self._statuses, self._status_codes)
        kind = self._text(slot, self._kinds, self._kind_codes)
        active = status in ACTIVE_STATUSES
        created = _moment(self._created[slot])
        flags = self._flags[slot]
        freed = self._numbers["freed_space"][slot]
        has_freed = flags & _HAS_PARAMS and freed != _NONE
        return RowCells(
            task_id=str(self.task_id(index)),
            name=fmt.safe_text(self._names[slot]) or fmt.MISSING,
            kind=fmt.safe_text(kind) or fmt.MISSING,
            status=fmt.status_symbol(status),
            created=fmt.moment_text(created, time_mode, now),
            duration=fmt.run_time(created, _moment(self._updated[slot]), active, now),
            freed=fmt.freed_text(freed if has_freed else None, bool(flags & _DRY)),
            dry="dry" if flags & _DRY else "",
            active=active,
        )
