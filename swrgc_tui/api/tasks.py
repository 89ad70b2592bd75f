"""GC runs as the service describes them, read leniently and without pydantic.

A GC history is the one thing swrgc-tui reads by the hundred thousand, and the
first page of it is what a user waits for at start-up. Its objects are named
tuples read by hand: every rule here is a lenient one a schema library could
not express without a hand-written validator anyway, and importing and
building such a library's models would cost more than the first page itself.
Named tuples rather than frozen dataclasses: as immutable, and quicker both to
define at start-up and to build by the thousand. The rarer objects
(instances, schedules, error bodies) are pydantic models in
:mod:`swrgc_tui.api.models`.

What servers really send is accepted: ``job_parameters`` as an object, as a
JSON-encoded string (as Harbor does) or as garbage, which is kept raw and
flagged; missing, null and unknown fields (unknown ones are kept); statuses
and kinds nobody has documented; timestamps with or without a zone, where a
naive one means UTC.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

#: The task statuses the service documents, in the order the UI lists them.
KNOWN_STATUSES: tuple[str, ...] = ("Success", "Running", "Pending", "Stopped", "Error")
#: Statuses of a task that has not finished yet.
ACTIVE_STATUSES: frozenset[str] = frozenset({"Running", "Pending"})
KNOWN_KINDS: tuple[str, ...] = ("SCHEDULE", "MANUAL")
#: Most tasks one ListGcTasks request may ask for.
MAX_LIMIT = 100

_NUMBERS = ("workers", "purged_blobs", "purged_manifests", "freed_space")
_FLAGS = ("delete_untagged", "dry_run")
_TEXTS = ("job_name", "job_kind", "job_status")
_TIMES = ("creation_time", "update_time")
_TASK_FIELDS = frozenset(("id", "job_parameters", *_TEXTS, *_TIMES))
#: The ``extra`` of a record built without one: shared, so it cannot change.
_NOTHING: Mapping[str, Any] = MappingProxyType({})


class TaskShapeError(ValueError):
    """A GC run that cannot be read at all: it has no usable id."""


def parse_timestamp(value: object) -> datetime | None:
    """Reads an ISO 8601 timestamp; a naive one is taken as UTC.

    Returns None for anything that is not a timestamp, so one odd value never
    hides a whole page.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def lenient_int(value: object) -> int | None:
    """An integer from a number or numeric text; None for anything else."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def lenient_bool(value: object) -> bool | None:
    """A flag from a bool, "true"/"false" or 0/1; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def wire_time(moment: datetime) -> str:
    """A timestamp as the service writes it: ISO 8601, ``Z`` for UTC."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class JobParameters(NamedTuple):
    """What a GC run was asked to do and, once done, what it removed.

    ``extra`` keeps fields the service added that swrgc-tui does not know.
    """

    delete_untagged: bool | None = None
    workers: int | None = None
    dry_run: bool | None = None
    purged_blobs: int | None = None
    purged_manifests: int | None = None
    freed_space: int | None = None
    extra: Mapping[str, Any] = _NOTHING

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> JobParameters:
        """Reads the parameters object; odd values become None."""
        known = {name: lenient_int(data.get(name)) for name in _NUMBERS}
        known.update((name, lenient_bool(data.get(name))) for name in _FLAGS)
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**known, extra=extra)  # type: ignore[arg-type]

    def to_wire(self) -> dict[str, Any]:
        """The parameters as JSON-ready data, fields without a value left out."""
        data = {
            name: getattr(self, name)
            for name in ("delete_untagged", "workers", "dry_run", *_NUMBERS[1:])
            if getattr(self, name) is not None
        }
        data.update(self.extra)
        return data


def read_job_parameters(value: object) -> tuple[JobParameters | None, str | None]:
    """Splits a ``job_parameters`` value into (parsed, raw-if-unparseable)."""
    if value is None:
        return None, None
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return None, value
        if decoded is None:
            return None, None
        value = decoded
    if isinstance(value, dict):
        return JobParameters.from_wire(value), None
    return None, json.dumps(value) if not isinstance(value, str) else value


def _task_id(value: object) -> int:
    number = None if isinstance(value, bool) else lenient_int(value)
    if number is None:
        raise TaskShapeError(f"a GC run needs an integer id, not {value!r:.40}")
    return number


class GcTask(NamedTuple):
    """One garbage collection run as ListGcTasks and ShowGcTask return it.

    ``job_parameters_raw`` holds the server's value when it could not be read
    as parameters; ``job_parameters`` is then None. ``extra`` keeps fields
    the service added that swrgc-tui does not know.
    """

    id: int
    job_name: str = ""
    job_kind: str = ""
    job_parameters: JobParameters | None = None
    job_parameters_raw: str | None = None
    job_status: str = ""
    creation_time: datetime | None = None
    update_time: datetime | None = None
    extra: Mapping[str, Any] = _NOTHING

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> GcTask:
        """Reads one run as decoded JSON; TaskShapeError if it has no usable id."""
        if not isinstance(data, Mapping):
            raise TaskShapeError("a GC run must be a JSON object")
        parsed, raw = read_job_parameters(data.get("job_parameters"))
        texts = {name: _text(data.get(name)) for name in _TEXTS}
        return cls(
            id=_task_id(data.get("id")),
            job_parameters=parsed,
            job_parameters_raw=raw,
            creation_time=parse_timestamp(data.get("creation_time")),
            update_time=parse_timestamp(data.get("update_time")),
            extra={k: v for k, v in data.items() if k not in _TASK_FIELDS},
            **texts,
        )

    def to_wire(self) -> dict[str, Any]:
        """The run as JSON-ready data, close to what the server sent.

        Unreadable parameters come back as the string the server sent.
        """
        if self.job_parameters_raw is not None:
            params: Any = self.job_parameters_raw
        else:
            params = self.job_parameters and self.job_parameters.to_wire()
        data: dict[str, Any] = {
            "id": self.id,
            "job_name": self.job_name,
            "job_kind": self.job_kind,
            "job_parameters": params,
            "job_status": self.job_status,
        }
        for name in _TIMES:
            moment = getattr(self, name)
            data[name] = None if moment is None else wire_time(moment)
        data.update(self.extra)
        return data

    @property
    def is_active(self) -> bool:
        return self.job_status in ACTIVE_STATUSES

    @property
    def parameters_unreadable(self) -> bool:
        return self.job_parameters_raw is not None


def _text(value: object) -> str:
    return "" if value is None else str(value)


class GcTaskPage(NamedTuple):
    """One page of ListGcTasks; ``next_marker`` is None on the last."""

    tasks: list[GcTask]
    next_marker: str | None = None
